import * as Y from 'yjs';
import { newServerDoc } from '../../sync/serverDoc.ts';
import type { DocStore } from '../docStore.ts';

/** What the document comparison found: how many documents it compared and which differ (names only). */
export interface DocumentComparison {
  compared: number;
  differing: string[];
}

/**
 * Loads every document named in either engine through each engine's own document store (what a server on it
 * would load) and compares the results as Yjs state: equal state vectors and byte-equal
 * `encodeStateAsUpdate` of fresh documents the loaded updates were applied to, in the order the store gives.
 *
 * Byte equality is a stable test here: the same updates applied in the same order to a fresh document build
 * the same struct store, and `encodeStateAsUpdate` writes it deterministically (clients in a fixed order, the
 * delete set sorted and merged). So it differs only if a store gave different updates or another order,
 * which is what this check is for (the rows themselves are compared by compareRows).
 */
export async function compareDocuments(names: readonly string[], sqlite: DocStore, postgres: DocStore): Promise<DocumentComparison> {
  const differing: string[] = [];
  for (const name of names) {
    const [from, to] = await Promise.all([loadDoc(sqlite, name), loadDoc(postgres, name)]);
    try {
      const sameVector = Buffer.from(Y.encodeStateVector(from)).equals(Y.encodeStateVector(to));
      if (!sameVector || !Buffer.from(Y.encodeStateAsUpdate(from)).equals(Y.encodeStateAsUpdate(to))) differing.push(name);
    } finally {
      from.destroy();
      to.destroy();
    }
  }
  return { compared: names.length, differing };
}

async function loadDoc(store: DocStore, name: string): Promise<Y.Doc> {
  const { updates } = await store.load(name);
  const doc = newServerDoc();
  doc.transact(() => {
    for (const update of updates) Y.applyUpdate(doc, update);
  });
  return doc;
}
