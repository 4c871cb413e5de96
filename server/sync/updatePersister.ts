import type { ClientBinding } from '../store/docLog.ts';

/**
 * The write path of one document: updates are committed to the store in the order they were applied, and
 * are handed to `afterCommit` (the broadcast) only once their write has resolved, so nobody ever sees an
 * edit that a crash could still lose.
 *
 * Writes are group-committed: everything applied while one write is in flight goes into the next one. The
 * first write of a burst starts on a microtask, so updates applied in the same turn share it as well.
 */
export interface UpdatePersister<Origin> {
  /** `clients`: client-id bindings to commit in the same write as this update. */
  enqueue(update: Uint8Array, origin: Origin, clients?: readonly ClientBinding[]): void;
  /** Settles once every update queued so far has been written (or its write has failed). Never rejects. */
  flushed(): Promise<void>;
  /** Whether updates are queued or being written: an `afterCommit` is still to come for them (unless the write fails). */
  writing(): boolean;
  /**
   * Writes nothing more until `until` has settled (either way): for what must be stored before the updates
   * queued from now on (the notes as they were before a large deletion, see notesHistoryRecorder).
   */
  hold(until: Promise<unknown>): void;
}

export interface UpdatePersisterDeps<Origin> {
  write: (updates: readonly Uint8Array[], clients: readonly ClientBinding[]) => Promise<unknown>;
  /** Everything one write committed, in order. Must not throw. */
  afterCommit(committed: readonly Queued<Origin>[]): void;
  /** The write failed: memory is now ahead of the store. Later updates are not written. */
  onFailure: (error: unknown) => void;
}

export interface Queued<Origin> {
  readonly update: Uint8Array;
  readonly origin: Origin;
  readonly clients?: readonly ClientBinding[] | undefined;
}

export function createUpdatePersister<Origin>(deps: UpdatePersisterDeps<Origin>): UpdatePersister<Origin> {
  let queue: Queued<Origin>[] = [];
  let queueWritten = createSignal();
  let inFlight: Promise<void> | null = null;
  let scheduled = false;
  let failed = false;
  let holds: Promise<unknown>[] = [];

  // Never rejects: it runs detached, and an unhandled rejection would end the process.
  const writeBatches = async (): Promise<void> => {
    while (queue.length > 0 && !failed) {
      // Taken before the batch: a hold placed while a write was in flight keeps back what was queued with it.
      while (holds.length > 0) {
        const waiting = holds;
        holds = [];
        await Promise.allSettled(waiting);
      }
      const batch = queue;
      const written = queueWritten;
      queue = [];
      queueWritten = createSignal();
      inFlight = written.promise;
      try {
        await deps.write(
          batch.map((entry) => entry.update),
          batch.flatMap((entry) => entry.clients ?? []),
        );
      } catch (error) {
        failed = true;
        deps.onFailure(error);
      }
      if (!failed) deps.afterCommit(batch);
      written.resolve();
    }
    inFlight = null;
    scheduled = false;
    // Anyone waiting on updates dropped after a failure is released too.
    if (failed) {
      queue = [];
      queueWritten.resolve();
      queueWritten = createSignal();
    }
  };

  return {
    enqueue(update, origin, clients) {
      if (failed) return;
      queue.push({ update, origin, clients });
      if (scheduled) return;
      scheduled = true;
      queueMicrotask(() => void writeBatches().catch(deps.onFailure));
    },
    flushed() {
      if (queue.length > 0) return queueWritten.promise;
      return inFlight ?? Promise.resolve();
    },
    writing: () => scheduled,
    hold(until) {
      holds.push(until);
    },
  };
}

function createSignal(): { promise: Promise<void>; resolve: () => void } {
  let resolve = (): void => {};
  const promise = new Promise<void>((done) => {
    resolve = done;
  });
  return { promise, resolve };
}
