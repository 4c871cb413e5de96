import { afterEach, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { SYNC_CLOSE, SYNC_CLOSE_REASON } from '../../shared/protocol/sync.ts';
import { connectProvider, loadStoredDoc, runCleanups, startSyncTestServer, type Cleanups } from './helpers/syncClient.ts';

/**
 * The sync server's side of "names come from the server" (issue 12): a Yjs client id belongs to the first
 * person whose connection wrote with it, durably, also after the document was unloaded and compacted; an
 * update with someone else's client id is refused whole, stored nowhere and sent to nobody. (The test
 * server has no store of people: each ticket's subject is whom it writes as.)
 */
const cleanups: Cleanups = [];
afterEach(() => runCleanups(cleanups));

function closesOf(client: ReturnType<typeof connectProvider>): { code: number; reason: string }[] {
  const closes: { code: number; reason: string }[] = [];
  client.provider.on('connection-close', (event: CloseEvent | null) => event && closes.push({ code: event.code, reason: event.reason }));
  return closes;
}

describe('Yjs client ids and their writers', () => {
  it('keeps a client id its first writer\'s across an unload and a compaction, and refuses it to anyone else', async () => {
    const server = await startSyncTestServer(cleanups, { unloadGraceMs: 50 });
    const pat = connectProvider(cleanups, server, 'meeting-w', server.ticket('meeting-w', { subject: 'user-pat' }));
    await pat.synced;
    pat.text.insert(0, 'written by Pat');
    await vi.waitFor(async () => expect((await loadStoredDoc(server.store, 'meeting-w')).getText('t').toJSON()).toBe('written by Pat'));
    const stolen = pat.doc.clientID;
    pat.provider.destroy();
    // Unloaded (and compacted into one row) once nobody is connected.
    await vi.waitFor(() => expect(server.sync.stats().documents).toBe(0));
    expect(await server.store.count('meeting-w')).toBe(1);

    const watcher = connectProvider(cleanups, server, 'meeting-w', server.ticket('meeting-w', { subject: 'user-pat' }));
    await watcher.synced;
    const sam = connectProvider(cleanups, server, 'meeting-w', server.ticket('meeting-w', { subject: 'member-sam' }));
    const closes = closesOf(sam);
    await sam.synced;
    const own = sam.doc.clientID;
    sam.doc.clientID = stolen;
    sam.text.insert(sam.text.length, ' and forged by Sam');
    await vi.waitFor(() => expect(closes).toContainEqual({ code: SYNC_CLOSE.notYours, reason: SYNC_CLOSE_REASON.clientOfAnother }));
    sam.doc.clientID = own;

    // Sam's own client id still works for Sam, on a new connection.
    const samAgain = connectProvider(cleanups, server, 'meeting-w', server.ticket('meeting-w', { subject: 'member-sam' }));
    await samAgain.synced;
    samAgain.text.insert(0, 'Sam: ');
    await vi.waitFor(() => expect(watcher.text.toJSON()).toBe('Sam: written by Pat'));
    const stored = await loadStoredDoc(server.store, 'meeting-w');
    expect(stored.getText('t').toJSON()).toBe('Sam: written by Pat');
    const { clients = [] } = await server.store.load('meeting-w');
    expect(clients.find((c) => c.clientId === stolen)?.participantId).toBe('user-pat');
    expect(clients.find((c) => c.clientId === samAgain.doc.clientID)?.participantId).toBe('member-sam');
  });

  it('never stores a refused update partly: a forged struct beside real ones takes the whole update with it', async () => {
    const server = await startSyncTestServer(cleanups);
    const pat = connectProvider(cleanups, server, 'meeting-x', server.ticket('meeting-x', { subject: 'user-pat' }));
    await pat.synced;
    pat.text.insert(0, 'Pat');
    await vi.waitFor(async () => expect((await loadStoredDoc(server.store, 'meeting-x')).getText('t').toJSON()).toBe('Pat'));
    // One update holding Sam's own new text and new text under Pat's client id.
    const forged = new Y.Doc();
    Y.applyUpdate(forged, Y.encodeStateAsUpdate(pat.doc));
    const before = Y.encodeStateVector(forged);
    forged.getText('t').insert(0, 'mine ');
    forged.clientID = pat.doc.clientID;
    forged.getText('t').insert(0, 'theirs ');
    const sam = connectProvider(cleanups, server, 'meeting-x', server.ticket('meeting-x', { subject: 'member-sam' }));
    const closes = closesOf(sam);
    await sam.synced;
    Y.applyUpdate(sam.doc, Y.encodeStateAsUpdate(forged, before));
    await vi.waitFor(() => expect(closes.map((c) => c.code)).toContain(SYNC_CLOSE.notYours));
    expect((await loadStoredDoc(server.store, 'meeting-x')).getText('t').toJSON()).toBe('Pat');
    expect(pat.text.toJSON()).toBe('Pat');
  });
});
