import type { AppendGroup, AppendOutcome } from '../docLog.ts';

/** What the main thread asks the PostgreSQL commit thread (docCommitThread ↔ commitThreadClient). */
export type DocCommitRequest = { id: number; op: 'commit'; groups: readonly AppendGroup[] } | { op: 'close' };

/**
 * The answer to request `id`: each group's outcome, or the error that failed the whole transaction as its
 * name, message and PostgreSQL code (no stack, no document bytes).
 */
export type DocCommitResponse = { id: number; ok: true; outcomes: AppendOutcome[] } | { id: number; ok: false; name: string; message: string; code?: string };

/** What the commit thread is started with (workerData). */
export interface DocCommitConfig {
  databaseUrl: string;
}
