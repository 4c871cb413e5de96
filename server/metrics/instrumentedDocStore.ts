import type { DocStore } from '../store/docStore.ts';
import { createHistogram, type Histogram } from './histogram.ts';

/** What the sync server's store does, counted without document names. */
export interface DocStoreCounters {
  /** Updates committed (each accepted update is committed once, before it is broadcast). */
  updates: number;
  updateBytes: number;
  /** Store writes that threw (the document is then dropped and its clients reconnect). */
  writeFailures: number;
  compactions: number;
  /** Duration of each committed write (one update, or one group-committed batch). */
  writeSeconds: Histogram;
  /** Duration of reading a document's stored updates when it is loaded. */
  loadSeconds: Histogram;
}

export function createDocStoreCounters(): DocStoreCounters {
  return { updates: 0, updateBytes: 0, writeFailures: 0, compactions: 0, writeSeconds: createHistogram(), loadSeconds: createHistogram() };
}

/**
 * The sync server's store, timed and counted. The sync server commits every accepted update through
 * `append`/`appendMany` before broadcasting it, so the write histogram is the persistence latency a
 * client's edit waits for, and the update counter is the number of accepted updates.
 */
export function instrumentDocStore(store: DocStore, counters: DocStoreCounters): DocStore {
  const timedWrite = async (updates: readonly Uint8Array[], write: () => Promise<number>): Promise<number> => {
    const started = performance.now();
    try {
      const seq = await write();
      counters.writeSeconds.observe((performance.now() - started) / 1000);
      counters.updates += updates.length;
      for (const update of updates) counters.updateBytes += update.byteLength;
      return seq;
    } catch (error) {
      counters.writeFailures++;
      throw error;
    }
  };

  return {
    claim: (docName) => store.claim(docName),
    append: (docName, update, epoch) => timedWrite([update], () => store.append(docName, update, epoch)),
    appendMany: (docName, updates, clients, epoch) => timedWrite(updates, () => store.appendMany(docName, updates, clients, epoch)),
    async load(docName) {
      const started = performance.now();
      const loaded = await store.load(docName);
      counters.loadSeconds.observe((performance.now() - started) / 1000);
      return loaded;
    },
    async compact(docName, snapshot, upToSeq, epoch) {
      await store.compact(docName, snapshot, upToSeq, epoch);
      counters.compactions++;
    },
    count: (docName) => store.count(docName),
  };
}
