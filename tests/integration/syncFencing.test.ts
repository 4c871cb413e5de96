import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { SYNC_CLOSE, SYNC_CLOSE_REASON } from '../../shared/protocol/sync.ts';
import { DocumentFencedError, type DocStore } from '../../server/store/docStore.ts';
import { createTicketSigner } from '../../server/sync/tickets.ts';
import { connectProvider, loadStoredDoc, runCleanups, startSyncTestServer, type Cleanups, type ProviderClient, type SyncTestServer } from './helpers/syncClient.ts';
import { ENGINES } from './storeContract/engines.ts';

/**
 * Two sync servers on one database, as two instances behind a load balancer (issue 15): the second to open
 * a document claims it, and from then on the first can neither append to it nor compact it. The first
 * stops serving it at once (its clients are told to reconnect, and do, to the new owner), and nothing the
 * current owner stored is lost.
 */
const cleanups: Cleanups = [];
afterEach(() => runCleanups(cleanups));

const DOC = 'meeting-fence';

interface Close {
  code: number;
  reason: string;
  /** The client's text when the server closed it: what it had received until then. */
  textAtClose: string;
}

/** Records the client's closes; after the first, it reconnects to `next` (what a load balancer would do). */
function movesTo(client: ProviderClient, next: SyncTestServer): Close[] {
  const closes: Close[] = [];
  client.provider.on('connection-close', (event: CloseEvent | null) => {
    if (!event) return;
    closes.push({ code: event.code, reason: event.reason, textAtClose: client.text.toJSON() });
    client.provider.serverUrl = next.baseUrl;
  });
  return closes;
}

/** The store as the server sees it, with every compaction it refused. */
function watchingCompactions(store: DocStore): { store: DocStore; refused: unknown[] } {
  const refused: unknown[] = [];
  return {
    refused,
    store: {
      ...store,
      compact: (docName, snapshot, upToSeq, epoch) =>
        store.compact(docName, snapshot, upToSeq, epoch).catch((error: unknown) => {
          refused.push(error);
          throw error;
        }),
    },
  };
}

async function storedText(store: DocStore): Promise<string> {
  const doc = await loadStoredDoc(store, DOC);
  const text = doc.getText('t').toJSON();
  doc.destroy();
  return text;
}

/** The stored document holds exactly what `doc` holds: the same state vector and the same text. */
async function expectStoredEqual(store: DocStore, doc: Y.Doc): Promise<void> {
  const stored = await loadStoredDoc(store, DOC);
  expect(Buffer.from(Y.encodeStateVector(stored)).toString('hex')).toBe(Buffer.from(Y.encodeStateVector(doc)).toString('hex'));
  expect(stored.getText('t').toJSON()).toBe(doc.getText('t').toJSON());
  // Nothing of `doc` is missing from the store: the difference is an empty update.
  expect(Y.decodeUpdate(Y.encodeStateAsUpdate(doc, Y.encodeStateVector(stored))).structs).toEqual([]);
  stored.destroy();
}

describe.each(ENGINES)('two sync servers on one $name database', (engine) => {
  async function twoServers(options: { unloadGraceMs?: number } = {}) {
    const database = await engine.open();
    cleanups.push(() => database.close());
    const second = await database.another();
    const signer = createTicketSigner(randomBytes(32));
    const watchedA = watchingCompactions(database.stores.docs);
    const a = await startSyncTestServer(cleanups, { store: watchedA.store, signer, unloadGraceMs: options.unloadGraceMs ?? 60_000 });
    const b = await startSyncTestServer(cleanups, { store: second.docs, signer });
    return { a, b, store: second.docs, refusedCompactionsOfA: watchedA.refused };
  }

  it('refuses the first server\'s next append once the second claimed the document: its clients reconnect to the second, and nothing is lost', async () => {
    const { a, b, store } = await twoServers();
    const writerOnA = connectProvider(cleanups, a, DOC);
    const readerOnA = connectProvider(cleanups, a, DOC);
    await Promise.all([writerOnA.synced, readerOnA.synced]);
    writerOnA.text.insert(0, 'one ');
    await vi.waitFor(async () => expect(await storedText(store)).toBe('one '));

    // A client sent to the second server: the document is claimed there, with everything the first stored.
    const writerOnB = connectProvider(cleanups, b, DOC);
    await writerOnB.synced;
    expect(writerOnB.text.toJSON()).toBe('one ');
    writerOnB.text.insert(4, 'two ');
    await vi.waitFor(async () => expect(await storedText(store)).toBe('one two '));

    const writerCloses = movesTo(writerOnA, b);
    const readerCloses = movesTo(readerOnA, b);
    writerOnA.text.insert(0, 'zero ');
    // Refused by the store: both connections on the first server are closed with the code to reconnect.
    const moved = { code: SYNC_CLOSE.internal, reason: SYNC_CLOSE_REASON.documentMoved };
    await vi.waitFor(() => expect([writerCloses[0], readerCloses[0]]).toEqual([expect.objectContaining(moved), expect.objectContaining(moved)]));
    // The refused edit was sent to nobody, and the first server no longer holds the document.
    expect(readerCloses[0]?.textAtClose).not.toContain('zero');
    await vi.waitFor(() => expect(a.sync.stats().documents).toBe(0));

    // Reconnected to the second server, the client sends what was not saved; everyone ends with all of it.
    await vi.waitFor(() => expect(writerOnB.text.toJSON()).toBe('zero one two '), { timeout: 15_000 });
    await vi.waitFor(() => expect(readerOnA.text.toJSON()).toBe('zero one two '), { timeout: 15_000 });
    await vi.waitFor(async () => expect(await storedText(store)).toBe('zero one two '));
    await expectStoredEqual(store, writerOnB.doc);
    expect(b.sync.stats().documents).toBe(1);
  });

  it('refuses the first server\'s compaction once the second claimed the document, and keeps every row the second stored', async () => {
    const { a, b, store, refusedCompactionsOfA } = await twoServers({ unloadGraceMs: 50 });
    const onA = connectProvider(cleanups, a, DOC);
    await onA.synced;
    for (const word of ['one ', 'two ', 'three ']) onA.text.insert(onA.text.length, word);
    await vi.waitFor(async () => expect(await storedText(store)).toBe('one two three '));

    const onB = connectProvider(cleanups, b, DOC);
    await onB.synced;
    onB.text.insert(onB.text.length, 'four');
    await vi.waitFor(async () => expect(await storedText(store)).toBe('one two three four'));
    const rows = await store.count(DOC);

    // The last client leaves the first server: it would compact the document as it last knew it.
    onA.provider.destroy();
    await vi.waitFor(() => expect(a.sync.stats().documents).toBe(0));
    expect(refusedCompactionsOfA).toEqual([expect.any(DocumentFencedError)]);
    expect(await store.count(DOC)).toBe(rows);
    await expectStoredEqual(store, onB.doc);
    expect(await storedText(store)).toBe('one two three four');
  });
});
