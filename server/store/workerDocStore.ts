import { Worker } from 'node:worker_threads';
import { unpackUpdates, type AppendGroup, type AppendOutcome, type PackedUpdates } from './docLog.ts';
import { DocumentErasedError, seqOf, type DocStore } from './docStore.ts';
import type { DocWriterConfig, DocWriterRequest, DocWriterResponse, DocWriterResult } from './docWriterProtocol.ts';

export interface WorkerDocStore extends DocStore {
  /** Waits for every request made so far, then closes the writer thread's connection. */
  close(): Promise<void>;
}

interface PendingAppend {
  group: AppendGroup;
  resolve: (seq: number) => void;
  reject: (error: unknown) => void;
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
 */
export function openWorkerDocStore(dataDir: string): WorkerDocStore {
  const config: DocWriterConfig = { dataDir };
  const worker = new Worker(new URL('./docWriterThread.ts', import.meta.url), { workerData: config });
  const waiting = new Map<number, { resolve: (result: DocWriterResult) => void; reject: (error: unknown) => void }>();
  let nextId = 1;
  let queued: PendingAppend[] = [];
  let batchInFlight = false;
  let flushScheduled = false;
  let failure: Error | null = null;
  // Every promise handed out and not yet settled, so that close() can wait for them.
  const outstanding = new Set<Promise<unknown>>();
  const track = <T>(promise: Promise<T>): Promise<T> => {
    outstanding.add(promise);
    const forget = (): void => void outstanding.delete(promise);
    promise.then(forget, forget);
    return promise;
  };

  const request = (message: Request): Promise<DocWriterResult> => {
    if (failure) return Promise.reject(failure);
    const id = nextId++;
    return track(
      new Promise((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        worker.postMessage({ ...message, id });
      }),
    );
  };

  const sendBatch = (): void => {
    flushScheduled = false;
    if (batchInFlight || queued.length === 0) return;
    const batch = queued;
    queued = [];
    batchInFlight = true;
    request({ op: 'append', groups: batch.map((entry) => entry.group) })
      .then(
        (result) => settleBatch(batch, result as AppendOutcome[]),
        (error: unknown) => {
          for (const entry of batch) entry.reject(error);
        },
      )
      .finally(() => {
        batchInFlight = false;
        scheduleBatch();
      });
  };
  // setImmediate, not a microtask: every socket read of this loop turn joins the batch first.
  const scheduleBatch = (): void => {
    if (flushScheduled || batchInFlight || queued.length === 0) return;
    flushScheduled = true;
    setImmediate(sendBatch);
  };

  worker.on('message', (response: DocWriterResponse) => {
    const entry = waiting.get(response.id);
    if (!entry) return;
    waiting.delete(response.id);
    if (response.ok) entry.resolve(response.result);
    else entry.reject(reviveError(response.name, response.message));
  });
  // A thread that died takes its requests with it: they fail (their documents reload), later ones too.
  const failAll = (error: Error): void => {
    failure ??= error;
    for (const entry of waiting.values()) entry.reject(failure);
    waiting.clear();
    for (const entry of queued.splice(0)) entry.reject(failure);
  };
  worker.on('error', (error: unknown) => failAll(error instanceof Error ? error : new Error(String(error))));
  worker.on('exit', (code) => failAll(new Error(`document writer thread exited (${code})`)));

  const append = (docName: string, updates: readonly Uint8Array[]): Promise<number> => {
    if (failure) return Promise.reject(failure);
    return track(
      new Promise((resolve, reject) => {
        queued.push({ group: { docName, updates }, resolve, reject });
        scheduleBatch();
      }),
    );
  };

  return {
    append: (docName, update) => append(docName, [update]),
    appendMany: (docName, updates) => append(docName, updates),
    async load(docName) {
      const packed = (await request({ op: 'load', docName })) as PackedUpdates;
      return { updates: unpackUpdates(packed), lastSeq: packed.lastSeq };
    },
    async compact(docName, snapshot, upToSeq) {
      if (!(await request({ op: 'compact', docName, snapshot, upToSeq }))) throw new DocumentErasedError();
    },
    count: async (docName) => (await request({ op: 'count', docName })) as number,
    async close() {
      while (outstanding.size > 0) await Promise.allSettled([...outstanding]);
      if (failure) return;
      const exited = new Promise<void>((done) => worker.once('exit', () => done()));
      failure = new Error('document store closed');
      worker.postMessage({ op: 'close' });
      await exited;
    },
  };

  function settleBatch(batch: readonly PendingAppend[], outcomes: readonly AppendOutcome[]): void {
    batch.forEach((entry, index) => {
      try {
        entry.resolve(seqOf(outcomes[index]));
      } catch (error) {
        entry.reject(error);
      }
    });
  }
}

function reviveError(name: string, message: string): Error {
  if (name === 'DocumentErasedError') return new DocumentErasedError();
  const error = new Error(message);
  error.name = name;
  return error;
}
