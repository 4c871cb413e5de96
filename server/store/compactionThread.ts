import { DatabaseSync } from 'node:sqlite';
import { parentPort, workerData } from 'node:worker_threads';
import type { CompactionRequest, CompactionResult } from './offThreadCompaction.ts';

// One erasure's file compaction, on its own thread and connection, so that the server's event loop keeps
// serving the meetings while SQLite rewrites the whole file. The thread ends after answering once.
const port = parentPort;
if (!port) throw new Error('compactionThread must run as a worker thread');
const { file } = workerData as CompactionRequest;
let result: CompactionResult;
try {
  result = { ok: true, logCleared: compact(file) };
} catch (error) {
  result = { ok: false, message: error instanceof Error ? error.message : String(error) };
}
port.postMessage(result);
port.close();

/**
 * VACUUM rebuilds the file from live rows only; a TRUNCATE checkpoint then empties the write-ahead log,
 * which still holds the old pages. True when the log was emptied (no other connection's read held it).
 */
function compact(path: string): boolean {
  const db = new DatabaseSync(path);
  try {
    db.exec('PRAGMA busy_timeout = 5000');
    db.exec('PRAGMA secure_delete = ON');
    db.exec('VACUUM');
    const checkpoint = db.prepare('PRAGMA wal_checkpoint(TRUNCATE)').get();
    return Number(checkpoint?.['busy'] ?? 1) === 0;
  } finally {
    db.close();
  }
}
