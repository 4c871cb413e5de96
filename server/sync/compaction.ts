import * as Y from 'yjs';
import type { DocStore } from '../store/docStore.ts';

export type CompactionResult = { compacted: false } | { compacted: true; rowsBefore: number; bytesBefore: number; bytesAfter: number };

/**
 * Replaces a document's stored update log by one snapshot. The snapshot is re-encoded from a Y.Doc built
 * from the log, not merged with `Y.mergeUpdates`: a real document garbage-collects deleted content, so text
 * that was written and deleted stops taking space. Only run while nobody is connected to the document, so
 * nothing is appended meanwhile (the store keeps later rows anyway).
 */
export async function compactStoredDocument(store: DocStore, docName: string): Promise<CompactionResult> {
  if ((await store.count(docName)) <= 1) return { compacted: false };
  const { updates, lastSeq } = await store.load(docName);
  if (updates.length <= 1) return { compacted: false };

  const doc = new Y.Doc();
  try {
    doc.transact(() => {
      for (const update of updates) Y.applyUpdate(doc, update);
    });
    const snapshot = Y.encodeStateAsUpdate(doc);
    await store.compact(docName, snapshot, lastSeq);
    return {
      compacted: true,
      rowsBefore: updates.length,
      bytesBefore: updates.reduce((sum, update) => sum + update.byteLength, 0),
      bytesAfter: snapshot.byteLength,
    };
  } finally {
    doc.destroy();
  }
}
