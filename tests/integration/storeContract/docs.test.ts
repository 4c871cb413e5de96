import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { DocumentErasedError, DocumentFencedError, DocumentSealedError } from '../../../server/store/docStore.ts';
import { ENGINES } from './engines.ts';
import { useFreshDatabase } from './fresh.ts';

/** A writer's Y.Doc whose every change is handed back as the update Yjs made for it. */
function writer(): { doc: Y.Doc; type(text: string): Uint8Array } {
  const doc = new Y.Doc();
  return {
    doc,
    type(text) {
      let update: Uint8Array | undefined;
      const take = (u: Uint8Array): void => void (update = u);
      doc.on('update', take);
      doc.getText('notes').insert(doc.getText('notes').length, text);
      doc.off('update', take);
      if (!update) throw new Error('no update');
      return update;
    },
  };
}

function textOf(updates: readonly Uint8Array[]): string {
  const doc = new Y.Doc();
  for (const update of updates) Y.applyUpdate(doc, update);
  return doc.getText('notes').toJSON();
}

describe.each(ENGINES)('the document store on $name', (engine) => {
  const fresh = useFreshDatabase(engine);

  it('appends with consecutive sequence numbers and loads every update in order with its client bindings', async () => {
    const { stores } = await fresh();
    const w = writer();
    expect(await stores.docs.append('doc-a', w.type('Hello'))).toBe(1);
    const at = '2026-12-01T10:00:00.000Z';
    const seq = await stores.docs.appendMany('doc-a', [w.type(', '), w.type('world')], [{ clientId: 7, participantId: 'user-u1', at }]);
    expect(seq).toBe(3);
    // A binding is never changed once made.
    await stores.docs.appendMany('doc-a', [w.type('!')], [{ clientId: 7, participantId: 'member-m9', at: '2026-12-02T00:00:00.000Z' }]);
    const loaded = await stores.docs.load('doc-a');
    expect(loaded.lastSeq).toBe(4);
    expect(textOf(loaded.updates)).toBe('Hello, world!');
    expect(loaded.clients).toEqual([{ clientId: 7, participantId: 'user-u1', at }]);
    expect(await stores.docs.count('doc-a')).toBe(4);
    expect(await stores.docs.load('doc-empty')).toEqual({ updates: [], lastSeq: 0, clients: [] });
  });

  it('compacts a prefix into a snapshot and keeps what was appended after it', async () => {
    const { stores } = await fresh();
    const w = writer();
    for (const word of ['one ', 'two ', 'three ']) await stores.docs.append('doc-c', w.type(word));
    const snapshot = Y.encodeStateAsUpdate(w.doc);
    await stores.docs.append('doc-c', w.type('four'));
    await stores.docs.compact('doc-c', snapshot, 3);
    expect(await stores.docs.count('doc-c')).toBe(2);
    const loaded = await stores.docs.load('doc-c');
    expect(loaded.lastSeq).toBe(4);
    expect(textOf(loaded.updates)).toBe('one two three four');
    // Appends go on after the snapshot's number.
    expect(await stores.docs.append('doc-c', w.type('.'))).toBe(5);
  });

  it('gives every one of many simultaneous appends by two connections its own number, and loses none', async () => {
    const database = await fresh();
    const other = await database.another();
    const writes = Array.from({ length: 24 }, (_, i) => (i % 2 === 0 ? database.stores : other).docs.append('doc-busy', new Uint8Array([i])));
    const seqs = await Promise.all(writes);
    expect([...seqs].sort((a, b) => a - b)).toEqual(Array.from({ length: 24 }, (_, i) => i + 1));
    const loaded = await database.stores.docs.load('doc-busy');
    expect(loaded.updates.map((update) => update[0]).sort((a = 0, b = 0) => a - b)).toEqual(Array.from({ length: 24 }, (_, i) => i));
  });

  it('refuses to write an erased document and writes nothing of it', async () => {
    const database = await fresh();
    await database.exec('INSERT INTO erased_documents (doc_name, erased_at) VALUES ($1, $2)', ['doc-gone', new Date().toISOString()]);
    await expect(database.stores.docs.append('doc-gone', new Uint8Array([1]))).rejects.toBeInstanceOf(DocumentErasedError);
    await expect(database.stores.docs.appendMany('doc-gone', [new Uint8Array([1])])).rejects.toBeInstanceOf(DocumentErasedError);
    await expect(database.stores.docs.compact('doc-gone', new Uint8Array([2]), 0)).rejects.toBeInstanceOf(DocumentErasedError);
    expect(await database.stores.docs.count('doc-gone')).toBe(0);
  });

  it('refuses only the erased document among appends made together, and writes the others with their bindings', async () => {
    const database = await fresh();
    await database.stores.docs.append('doc-kept', new Uint8Array([1]));
    await database.exec('INSERT INTO erased_documents (doc_name, erased_at) VALUES ($1, $2)', ['doc-gone', new Date().toISOString()]);
    const at = '2026-12-03T00:00:00.000Z';
    // Made in one turn, so that a store committing in groups puts them in one transaction.
    const [kept, gone, made] = await Promise.allSettled([
      database.stores.docs.appendMany('doc-kept', [new Uint8Array([2]), new Uint8Array([3])], [{ clientId: 5, participantId: 'user-a', at }]),
      database.stores.docs.appendMany('doc-gone', [new Uint8Array([9])], [{ clientId: 6, participantId: 'user-b', at }]),
      database.stores.docs.append('doc-new', new Uint8Array([4])),
    ]);
    expect(kept).toEqual({ status: 'fulfilled', value: 3 });
    expect(gone.status === 'rejected' && gone.reason).toBeInstanceOf(DocumentErasedError);
    expect(made).toEqual({ status: 'fulfilled', value: 1 });
    const loaded = await database.stores.docs.load('doc-kept');
    expect(loaded.updates.map((update) => update[0])).toEqual([1, 2, 3]);
    expect(loaded.clients ?? []).toEqual([{ clientId: 5, participantId: 'user-a', at }]);
    expect(await database.stores.docs.count('doc-gone')).toBe(0);
    expect((await database.stores.docs.load('doc-gone')).clients ?? []).toEqual([]);
    // A document first written in the batch starts at 1, whatever else the batch held.
    expect((await database.stores.docs.load('doc-new')).lastSeq).toBe(1);
  });

  it("refuses to write an ended meeting's document, and keeps it as it was at the end", async () => {
    const database = await fresh();
    const meetingId = 'm'.repeat(22);
    const docName = `meeting-${meetingId}`;
    const { networks, meetings } = database.stores;
    await networks.create({ id: 'n1', personName: 'Jo', referredAt: '2026-01-01', createdAt: '2026-01-01', createdBy: undefined });
    await meetings.create({ id: meetingId, networkId: 'n1', title: 'Meeting', scheduledAt: '2026-01-01', status: 'live', createdAt: '2026-01-01', endedAt: undefined });
    const w = writer();
    await database.stores.docs.appendMany(docName, [w.type('said '), w.type('before')]);
    await meetings.setStatus(meetingId, 'ended', new Date().toISOString());
    await expect(database.stores.docs.append(docName, w.type(' after'))).rejects.toBeInstanceOf(DocumentSealedError);
    await expect(database.stores.docs.compact(docName, Y.encodeStateAsUpdate(w.doc), 2)).rejects.toBeInstanceOf(DocumentSealedError);
    expect(textOf((await database.stores.docs.load(docName)).updates)).toBe('said before');
    expect(await database.stores.docs.count(docName)).toBe(2);
  });

  it("fences a writer that lost the document: its append and compaction are refused and nothing the new owner stored is lost", async () => {
    const database = await fresh();
    const stale = database.stores.docs;
    const current = (await database.another()).docs;
    const docName = 'network-fenced';

    const first = writer();
    const staleEpoch = await stale.claim(docName);
    await stale.appendMany(docName, [first.type('from the first writer. ')], undefined, staleEpoch);

    // The second writer takes the document over (as another instance would after the first stopped answering).
    const currentEpoch = await current.claim(docName);
    expect(currentEpoch).toBeGreaterThan(staleEpoch);
    const second = writer();
    for (const update of (await current.load(docName)).updates) Y.applyUpdate(second.doc, update);
    await current.append(docName, second.type('From the second.'), currentEpoch);

    // The first writer does not know yet: its edit and its compaction (of a snapshot without the second's edit) are refused.
    await expect(stale.append(docName, first.type('Lost?'), staleEpoch)).rejects.toBeInstanceOf(DocumentFencedError);
    await expect(stale.compact(docName, Y.encodeStateAsUpdate(first.doc), 1, staleEpoch)).rejects.toBeInstanceOf(DocumentFencedError);
    // Neither can a writer that never claimed it write behind the owner's back.
    await expect(stale.append(docName, first.type('?'))).rejects.toBeInstanceOf(DocumentFencedError);
    expect(textOf((await current.load(docName)).updates)).toBe('from the first writer. From the second.');

    // The owner compacts and goes on; everything it stored is there.
    await current.append(docName, second.type(' More.'), currentEpoch);
    await current.compact(docName, Y.encodeStateAsUpdate(second.doc), 3, currentEpoch);
    expect(await current.count(docName)).toBe(1);
    const loaded = await stale.load(docName);
    expect(loaded.lastSeq).toBe(3);
    expect(textOf(loaded.updates)).toBe('from the first writer. From the second. More.');
  });

  it('refuses a compaction that claims updates that were never written', async () => {
    const { stores } = await fresh();
    await stores.docs.append('doc-short', new Uint8Array([1]));
    await expect(stores.docs.compact('doc-short', new Uint8Array([2]), 5)).rejects.toThrow(RangeError);
    expect(await stores.docs.count('doc-short')).toBe(1);
  });
});
