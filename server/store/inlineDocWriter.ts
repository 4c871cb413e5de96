import type { DatabaseSync } from 'node:sqlite';
import { openDatabase } from './database.ts';
import { createSqliteDocLog, type AppendGroup, type AppendOutcome } from './docLog.ts';

/**
 * The writer thread's shortcut: a connection of the event loop's own to the same file, for an append made
 * while the thread has nothing to do. Committing it here saves the two thread hand-overs (about 0.3 ms of the
 * 1.7 ms a keystroke spent on the server, traced at light load), at the price of the loop waiting for the
 * disk once; the store uses it only when commits are far apart and the disk is fast (see workerDocStore),
 * so that under load, or on a slow disk, every fsync stays on the thread.
 *
 * Invariants: the same SQLite document log as the thread (same checks inside the same transaction: erased,
 * sealed, fenced); epochs are the thread's, as the store records each claim the thread answers (`epochs`,
 * shared with the store, read at each append); it never waits for a lock: when another connection is
 * writing, `tryAppend` says so and the caller queues to the thread.
 */
export interface InlineDocWriter {
  /** The outcome of committing `group` now, or 'busy' when another connection holds the write lock (nothing written). */
  tryAppend(group: AppendGroup): AppendOutcome | 'busy';
  close(): void;
}

/** SQLite's primary result code for a lock held by another connection (extended codes keep it in their low byte). */
const SQLITE_BUSY = 5;

export function openInlineDocWriter(dataDir: string, epochs: Map<string, number>): InlineDocWriter {
  const db: DatabaseSync = openDatabase(dataDir);
  // Never wait on the event loop: a lock held elsewhere (the ops CLI, a compaction) sends the append to the thread.
  db.exec('PRAGMA busy_timeout = 0');
  const log = createSqliteDocLog(db, epochs);
  return {
    tryAppend(group) {
      try {
        const [outcome] = log.append([group]);
        if (!outcome) throw new Error('no outcome for an append');
        return outcome;
      } catch (error) {
        if (isBusy(error)) return 'busy';
        throw error;
      }
    },
    close: () => db.close(),
  };
}

function isBusy(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'errcode' in error && typeof error.errcode === 'number' && (error.errcode & 0xff) === SQLITE_BUSY;
}
