import type { Document, Extension } from '@hocuspocus/server';

/**
 * Makes Hocuspocus send a document's updates only once a store that contains them has committed: the
 * durability of the other columns ("committed before anyone else receives it") for a store that is
 * asynchronous. On SQLite (node:sqlite) the Hocuspocus column gets it for free: its store hook runs in the
 * microtasks after the update is applied, and finishes before the fan-out, which Hocuspocus defers to a
 * setImmediate (flushDelay 0). A PostgreSQL commit takes round trips, so here the fan-out must wait for it.
 *
 * Each document counts the updates applied to it; the `store` callback notes the count at the moment the
 * Database extension encoded the state it stores (the same synchronous turn), and once that commit is done,
 * every update up to that count is durable. The document's update broadcast is wrapped so that it goes out,
 * in order, only when the count at the time of the broadcast is durable. Hocuspocus stores after every
 * change with `debounce: 0`, so a store containing any applied update always follows.
 *
 * The wrap replaces Document's private `broadcastUpdate` (4.7.0); if that ever changes this throws rather
 * than silently measuring a weaker durability. Awareness (not stored by any server) is not held back.
 */
export interface StoredBeforeBroadcast {
  extension: Extension;
  /** Wraps a store: call with the document whose state was just encoded; resolves once `commit` has. */
  storing(document: Document, commit: () => Promise<void>): Promise<void>;
}

interface Progress {
  applied: number;
  stored: number;
  waiters: { version: number; release: () => void }[];
  /** The chain of this document's held broadcasts, so that they leave in the order made. */
  sending: Promise<void>;
}

export function createStoredBeforeBroadcast(): StoredBeforeBroadcast {
  const progress = new WeakMap<Document, Progress>();

  const durable = (state: Progress, version: number): Promise<void> => {
    if (state.stored >= version) return Promise.resolve();
    return new Promise((release) => state.waiters.push({ version, release }));
  };

  const extension: Extension = {
    async afterLoadDocument({ document }) {
      const state: Progress = { applied: 0, stored: 0, waiters: [], sending: Promise.resolve() };
      progress.set(document, state);
      document.on('update', () => void state.applied++);
      const target = document as unknown as { broadcastUpdate?: unknown };
      const broadcast = target.broadcastUpdate;
      if (typeof broadcast !== 'function') throw new Error('Hocuspocus internals changed: Document.broadcastUpdate is gone');
      target.broadcastUpdate = (update: Uint8Array): Document => {
        const version = state.applied;
        state.sending = state.sending.then(() => durable(state, version)).then(() => void broadcast.call(document, update));
        return document;
      };
    },
  };

  return {
    extension,
    async storing(document, commit) {
      const state = progress.get(document);
      const version = state?.applied ?? 0;
      await commit();
      if (!state || version <= state.stored) return;
      state.stored = version;
      const ready = state.waiters.filter((waiter) => waiter.version <= version);
      state.waiters = state.waiters.filter((waiter) => waiter.version > version);
      for (const waiter of ready) waiter.release();
    },
  };
}
