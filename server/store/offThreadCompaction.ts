import type { DatabaseSync } from 'node:sqlite';
import { Worker } from 'node:worker_threads';

/** What the compaction thread is started with (workerData): the database file. */
export interface CompactionRequest {
  file: string;
}

/** Its one answer; an error travels as its message only. */
export type CompactionResult = { ok: true; logCleared: boolean } | { ok: false; message: string };

/**
 * Compacts the database after an erasure (VACUUM, then a truncating WAL checkpoint) on a worker thread with
 * its own connection to the same file: a VACUUM of a real database takes most of a second, during which
 * every meeting would otherwise wait. Resolves with whether the write-ahead log was emptied.
 *
 * A database with no file (`:memory:`, in tests) has nothing readable to leave behind on a disk; it is
 * compacted in place, as there is no other connection that could reach it.
 */
export async function compactOffThread(db: DatabaseSync, threadUrl = new URL('./compactionThread.ts', import.meta.url)): Promise<boolean> {
  const file = db.location();
  if (!file) return compactInPlace(db);
  const worker = new Worker(threadUrl, { workerData: { file } satisfies CompactionRequest });
  const result = await new Promise<CompactionResult>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`compaction thread exited (${code}) before answering`)));
  });
  if (!result.ok) throw new Error(`compaction failed: ${result.message}`);
  return result.logCleared;
}

function compactInPlace(db: DatabaseSync): boolean {
  db.exec('VACUUM');
  const checkpoint = db.prepare('PRAGMA wal_checkpoint(TRUNCATE)').get();
  return Number(checkpoint?.['busy'] ?? 1) === 0;
}
