import type { Worker } from 'node:worker_threads';
import { unpackUpdates, type AppendGroup, type AppendOutcome, type ClientBinding, type CompactOutcome, type PackedUpdates } from './docLog.ts';
import { openInlineDocWriter, type InlineDocWriter } from './inlineDocWriter.ts';
import { checkCompacted, DocumentErasedError, DocumentFencedError, DocumentSealedError, seqOf, type DocStore } from './docStore.ts';
import type { DocWriterConfig, DocWriterRequest, DocWriterResponse, DocWriterResult } from './docWriterProtocol.ts';
import { createPendingPromises } from './pendingPromises.ts';
import { startWriterThread } from './writerThread.ts';

export interface WorkerDocStore extends DocStore {
  /** Waits for every request made so far, then closes the writer thread's connection. */
  close(): Promise<void>;
  /** How many appends were committed on the event loop (see InlineDocWriter) and on the thread. */
  readonly commits: { readonly inline: number; readonly thread: number };
}

export interface WorkerDocStoreOptions {
  threadUrl?: URL;
  /** How long no commit must have ended before an append may be committed on the event loop; Infinity: never. */
  inlineQuietMs?: number;
  /** The longest the last commit may have taken for the next one to run on the event loop. */
  inlineMaxCommitMs?: number;
}

/**
 * Commits at least this far apart are light load: one may wait for the disk on the event loop (about 0.5 ms,
 * so at most a few percent of the loop's time); closer together, they all go to the thread.
 */
const INLINE_QUIET_MS = 20;

/**
 * A disk that took longer than this for the last commit (a backup or a VACUUM sharing it, a failing device)
 * may stall again: until a commit is that fast again, every one goes to the thread, so a slow disk stalls
 * the meetings' event loop at most once and never for long.
 */
const INLINE_MAX_COMMIT_MS = 5;

interface PendingAppend {
  group: AppendGroup;
  resolve: (seq: number) => void;
  reject: (error: unknown) => void;
}

interface Waiter {
  resolve: (result: DocWriterResult) => void;
  reject: (error: unknown) => void;
  /** For a claim: its document, whose new epoch is recorded when the answer comes. */
  claimed?: string;
}

type Request = DistributiveOmit<DocWriterRequest, 'id'>;
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/**
 * {@link DocStore} on a writer thread with its own SQLite connection (same file, WAL), so the server's event
 * loop keeps serving while a commit waits for the disk.
 *
 * Appends are group-committed across documents: one batch is on the thread at a time, and every append
 * made meanwhile, for any document, goes into the next one: one transaction and one fsync for all.
 * Under load that is one fsync per disk round trip instead of one per document that changed.
 *
 * If the thread dies, what it was doing fails (those documents are reloaded and their clients resend,
 * which Yjs makes harmless even for a write that did land) and the next request starts a new thread.
 */
export function openWorkerDocStore(dataDir: string, options: WorkerDocStoreOptions = {}): WorkerDocStore {
  const threadUrl = options.threadUrl ?? new URL('./docWriterThread.ts', import.meta.url);
  const waiting = new Map<number, Waiter>();
  let thread: Worker | null = null;
  let nextId = 1;
  let queued: PendingAppend[] = [];
  let batchInFlight = false;
  let batchScheduled = false;
  let closed = false;
  const quietMs = options.inlineQuietMs ?? INLINE_QUIET_MS;
  // Every epoch the thread gave, recorded as its answer arrives: the inline writer fences by it, and a thread
  // started after one died is seeded with it. Otherwise a new thread would count from 0 again: every open
  // document's next write would be fenced, and a re-claim would hand out an epoch a fenced writer still holds.
  const epochs = new Map<string, number>();
  const inline: InlineDocWriter | null = Number.isFinite(quietMs) ? openInlineDocWriter(dataDir, epochs) : null;
  const commits = { inline: 0, thread: 0 };
  const maxCommitMs = options.inlineMaxCommitMs ?? INLINE_MAX_COMMIT_MS;
  let lastCommitEnded = -Infinity;
  // How long the last commit took, on either path (on the thread: from handing it over to the answer).
  let lastCommitMs = 0;
  const pending = createPendingPromises();

  const onResponse = (response: DocWriterResponse): void => {
    const waiter = waiting.get(response.id);
    if (!waiter) return;
    waiting.delete(response.id);
    // Before anything else runs: an append checked on the event loop from now on must see the new epoch.
    if (waiter.claimed !== undefined && response.ok) epochs.set(waiter.claimed, response.result as number);
    if (response.ok) waiter.resolve(response.result);
    else waiter.reject(reviveError(response.name, response.message));
  };

  const start = (): Worker => {
    const config: DocWriterConfig = { dataDir, epochs: [...epochs] };
    const started = startWriterThread(threadUrl, config, 'document writer thread', {
      onMessage: onResponse,
      onExit: (error) => {
        if (thread === started) thread = null;
        for (const waiter of waiting.values()) waiter.reject(error);
        waiting.clear();
      },
    });
    return started;
  };

  const request = (message: Request): Promise<DocWriterResult> => {
    if (closed) return Promise.reject(new Error('document store closed'));
    const id = nextId++;
    return pending.track(
      // Starting the thread and posting inside the executor: what they throw (no more threads, a value
      // that cannot be cloned) fails this request, not the timer or handler that made it.
      new Promise((resolve, reject) => {
        thread ??= start();
        const target = thread;
        waiting.set(id, message.op === 'claim' ? { resolve, reject, claimed: message.docName } : { resolve, reject });
        try {
          target.postMessage({ ...message, id });
        } catch (error) {
          waiting.delete(id);
          throw error;
        }
      }),
    );
  };

  // Runs from setImmediate: it must not throw, and the chain it starts must not reject unhandled.
  const sendBatch = (): void => {
    batchScheduled = false;
    if (batchInFlight || queued.length === 0) return;
    const batch = queued;
    queued = [];
    batchInFlight = true;
    const failBatch = (error: unknown): void => {
      for (const entry of batch) entry.reject(error);
    };
    commits.thread += batch.length;
    const started = performance.now();
    request({ op: 'append', groups: batch.map((entry) => entry.group) })
      .then((result) => settleBatch(batch, result as AppendOutcome[]), failBatch)
      .catch(failBatch)
      .finally(() => {
        batchInFlight = false;
        lastCommitEnded = performance.now();
        lastCommitMs = lastCommitEnded - started;
        scheduleBatch();
      })
      .catch(() => {});
  };
  // setImmediate, not a microtask: every socket read of this loop turn joins the batch first.
  const scheduleBatch = (): void => {
    if (batchScheduled || batchInFlight || queued.length === 0) return;
    batchScheduled = true;
    setImmediate(sendBatch);
  };

  // Only with nothing on the thread (no request of any kind outstanding), so no order between the two
  // connections can matter; only after a quiet spell, so that load keeps the loop free of fsyncs; and only
  // while the disk answers quickly.
  const mayCommitInline = (): boolean =>
    waiting.size === 0 && queued.length === 0 && !batchInFlight && lastCommitMs <= maxCommitMs && performance.now() - lastCommitEnded >= quietMs;

  /** The append's outcome committed on the event loop, or null when it must go to the thread. */
  const commitInline = (group: AppendGroup): AppendOutcome | null => {
    if (!inline || !mayCommitInline()) return null;
    const started = performance.now();
    try {
      const outcome = inline.tryAppend(group);
      if (outcome === 'busy') return null;
      commits.inline++;
      return outcome;
    } finally {
      lastCommitEnded = performance.now();
      lastCommitMs = lastCommitEnded - started;
    }
  };

  const append = (docName: string, updates: readonly Uint8Array[], clients?: readonly ClientBinding[], epoch?: number): Promise<number> => {
    if (closed) return Promise.reject(new Error('document store closed'));
    const group: AppendGroup = { docName, updates, clients, epoch };
    return pending.track(
      new Promise((resolve, reject) => {
        const outcome = commitInline(group);
        if (outcome) return resolve(seqOf(outcome));
        queued.push({ group, resolve, reject });
        scheduleBatch();
      }),
    );
  };

  return {
    commits,
    // Claims travel like reads: a claim made after an append was queued is answered after that append is
    // committed (appends go first on the thread), so the claimer's load sees it.
    claim: async (docName) => (await request({ op: 'claim', docName })) as number,
    append: (docName, update, epoch) => append(docName, [update], undefined, epoch),
    appendMany: (docName, updates, clients, epoch) => append(docName, updates, clients, epoch),
    async load(docName) {
      const packed = (await request({ op: 'load', docName })) as PackedUpdates;
      return { updates: unpackUpdates(packed), lastSeq: packed.lastSeq, clients: packed.clients };
    },
    async compact(docName, snapshot, upToSeq, epoch) {
      checkCompacted((await request({ op: 'compact', docName, snapshot, upToSeq, epoch })) as CompactOutcome);
    },
    count: async (docName) => (await request({ op: 'count', docName })) as number,
    async close() {
      await pending.settled();
      if (!closed) inline?.close();
      closed = true;
      const last = thread;
      if (!last) return;
      const exited = new Promise<void>((done) => last.once('exit', () => done()));
      last.postMessage({ op: 'close' });
      await exited;
    },
  };
}

function settleBatch(batch: readonly PendingAppend[], outcomes: readonly AppendOutcome[]): void {
  batch.forEach((entry, index) => {
    try {
      entry.resolve(seqOf(outcomes[index]));
    } catch (error) {
      entry.reject(error);
    }
  });
}

function reviveError(name: string, message: string): Error {
  if (name === 'DocumentErasedError') return new DocumentErasedError();
  if (name === 'DocumentSealedError') return new DocumentSealedError();
  if (name === 'DocumentFencedError') return new DocumentFencedError();
  const error = new Error(message);
  error.name = name;
  return error;
}
