import type { Worker } from 'node:worker_threads';
import type { AppendGroup, AppendOutcome } from '../docLog.ts';
import { createPendingPromises } from '../pendingPromises.ts';
import { startWriterThread } from '../writerThread.ts';
import type { DocCommitConfig, DocCommitRequest, DocCommitResponse } from './docCommitProtocol.ts';

/** The document group commits of this process, run on a thread of their own (docCommitThread). */
export interface DocCommitThread {
  /** Commits the groups in one transaction; each group's outcome, in order. Rejects when the whole transaction failed. */
  commit(groups: readonly AppendGroup[]): Promise<AppendOutcome[]>;
  /** Waits for the commits in flight, then ends the thread and its connection. */
  close(): Promise<void>;
}

interface Waiter {
  resolve: (outcomes: AppendOutcome[]) => void;
  reject: (error: unknown) => void;
}

/**
 * Starts the thread on first use. If it dies, the commits it was running fail (as a lost connection fails
 * them: their documents are reloaded and their clients resend, which Yjs makes harmless even for a write
 * that did land) and the next commit starts a new thread.
 */
export function openDocCommitThread(databaseUrl: string, threadUrl = new URL('./docCommitThread.ts', import.meta.url)): DocCommitThread {
  const config: DocCommitConfig = { databaseUrl };
  const waiting = new Map<number, Waiter>();
  let thread: Worker | null = null;
  let nextId = 1;
  let closed = false;
  const pending = createPendingPromises();

  const onResponse = (response: DocCommitResponse): void => {
    const waiter = waiting.get(response.id);
    if (!waiter) return;
    waiting.delete(response.id);
    if (response.ok) waiter.resolve(response.outcomes);
    else waiter.reject(reviveError(response));
  };

  const start = (): Worker => {
    const started = startWriterThread(threadUrl, config, 'document commit thread', {
      onMessage: onResponse,
      onExit: (error) => {
        if (thread === started) thread = null;
        for (const waiter of waiting.values()) waiter.reject(error);
        waiting.clear();
      },
    });
    return started;
  };

  return {
    commit(groups) {
      if (closed) return Promise.reject(new Error('document store closed'));
      const id = nextId++;
      // Starting the thread and posting inside the executor: what they throw (no more threads, a value that
      // cannot be cloned) fails this commit, not the timer that made it.
      const committed = new Promise<AppendOutcome[]>((resolve, reject) => {
        thread ??= start();
        waiting.set(id, { resolve, reject });
        try {
          thread.postMessage({ id, op: 'commit', groups } satisfies DocCommitRequest);
        } catch (error) {
          waiting.delete(id);
          throw error;
        }
      });
      return pending.track(committed);
    },
    async close() {
      closed = true;
      await pending.settled();
      const last = thread;
      if (!last) return;
      const exited = new Promise<void>((done) => last.once('exit', () => done()));
      last.postMessage({ op: 'close' } satisfies DocCommitRequest);
      await exited;
    },
  };
}

function reviveError(response: { name: string; message: string; code?: string }): Error {
  const error: Error & { code?: string } = new Error(response.message);
  error.name = response.name;
  if (response.code !== undefined) error.code = response.code;
  return error;
}
