import type { AppendGroup, AppendOutcome } from '../docLog.ts';
import { appendBatch } from './docAppendBatch.ts';
import { openDocCommitThread, type DocCommitThread } from './docCommitThreadClient.ts';
import { openHeldConnection } from './heldConnection.ts';

/**
 * Commits at least this far apart are light load. Then a batch goes to PostgreSQL from the event loop, on a
 * connection it holds, which saves the two hand-overs to the commit thread while an editor waits (at one
 * commit per 50 ms, 1.5 ms from the loop against 2.6 ms through the thread, measured); the loop only builds
 * one small statement and reads its answer. Closer together, every batch goes to the thread, which is what
 * holds the load (see docCommitThread).
 */
const DIRECT_QUIET_MS = 20;

export interface RoutedDocCommits extends DocCommitThread {
  /** How many batches were committed from the event loop and on the thread. */
  readonly commits: { readonly direct: number; readonly thread: number };
}

/**
 * The server's document group commits on PostgreSQL: on the commit thread, or from the event loop when quiet.
 * `directQuietMs`: a batch that starts at least this long after the last one ended, with none in flight, is
 * committed from the loop; Infinity: never.
 *
 * Invariant: the store's group commit hands over one batch at a time, so batches of either route commit in
 * the order made.
 */
export function openRoutedDocCommits(databaseUrl: string, options: { threadUrl?: URL; directQuietMs?: number } = {}): RoutedDocCommits {
  const thread = openDocCommitThread(databaseUrl, options.threadUrl);
  const quietMs = options.directQuietMs ?? DIRECT_QUIET_MS;
  const direct = Number.isFinite(quietMs) ? openHeldConnection(databaseUrl) : null;
  const commits = { direct: 0, thread: 0 };
  let inFlight = 0;
  let lastEnded = Number.NEGATIVE_INFINITY;
  let closed = false;

  // Decided before the batch counts as in flight: quiet means no other batch is.
  const route = (groups: readonly AppendGroup[]): Promise<AppendOutcome[]> => {
    if (direct && !closed && inFlight === 0 && performance.now() - lastEnded >= quietMs) {
      commits.direct++;
      return direct.run((client) => appendBatch(client, groups));
    }
    commits.thread++;
    return thread.commit(groups);
  };

  return {
    commits,
    async commit(groups) {
      const committed = route(groups);
      inFlight++;
      try {
        return await committed;
      } finally {
        inFlight--;
        lastEnded = performance.now();
      }
    },
    async close() {
      closed = true;
      await Promise.all([thread.close(), direct?.close()]);
    },
  };
}
