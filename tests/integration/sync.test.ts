import { afterEach, describe, expect, it, vi } from 'vitest';
import * as encoding from 'lib0/encoding';
import { Awareness, encodeAwarenessUpdate } from 'y-protocols/awareness';
import { writeUpdate } from 'y-protocols/sync';
import * as Y from 'yjs';
import { SYNC_CLOSE, SYNC_MESSAGE } from '../../shared/protocol/sync.ts';
import {
  connectProvider,
  openRawSocket,
  runCleanups,
  sendThenBarrier,
  socketUrl,
  startSyncTestServer,
  storedFingerprint,
  type Cleanups,
} from './helpers/syncClient.ts';

const cleanups: Cleanups = [];
afterEach(() => runCleanups(cleanups));

describe('sync server with the stock y-websocket client', () => {
  it('lets two clients converge on the same text', async () => {
    const server = await startSyncTestServer(cleanups);
    const a = connectProvider(cleanups, server, 'meeting-two');
    const b = connectProvider(cleanups, server, 'meeting-two');
    await Promise.all([a.synced, b.synced]);

    a.text.insert(0, 'Alex: we talked about sleep. ');
    b.text.insert(0, 'Sam: and about work. ');
    await vi.waitFor(() => {
      expect(a.text.toJSON()).toContain('Sam: and about work.');
      expect(b.text.toJSON()).toContain('Alex: we talked about sleep.');
    });
    expect(a.text.toJSON()).toBe(b.text.toJSON());
    await vi.waitFor(async () => expect((await storedFingerprint(server.store, 'meeting-two')).text).toBe(a.text.toJSON()));
  });

  it('brings five clients editing at once to identical state', async () => {
    const server = await startSyncTestServer(cleanups);
    const clients = Array.from({ length: 5 }, () => connectProvider(cleanups, server, 'meeting-five'));
    await Promise.all(clients.map((client) => client.synced));

    clients.forEach((client, index) => {
      for (let round = 0; round < 20; round++) client.text.insert(0, `${index}.${round} `);
      client.doc.getMap('m').set(`k${index}`, index);
    });
    const expectedLength = clients.reduce((sum, client) => sum + client.text.length, 0);
    await vi.waitFor(() => {
      for (const client of clients) expect(client.text.length).toBe(expectedLength);
    });
    const [first, ...rest] = clients.map((client) => Y.encodeStateAsUpdate(client.doc));
    for (const state of rest) expect(Buffer.from(state).equals(Buffer.from(first ?? new Uint8Array()))).toBe(true);
    expect(clients[0]?.doc.getMap('m').size).toBe(5);
  });

  it('gives a client who comes after everyone left the full document from the store', async () => {
    const server = await startSyncTestServer(cleanups, { unloadGraceMs: 20 });
    const writer = connectProvider(cleanups, server, 'meeting-later');
    await writer.synced;
    writer.text.insert(0, 'Written before everyone left.');
    writer.text.delete(0, 'Written '.length);
    await vi.waitFor(async () => expect((await storedFingerprint(server.store, 'meeting-later')).text).toBe('before everyone left.'));
    writer.provider.destroy();
    await vi.waitFor(() => expect(server.sync.stats()).toEqual({ connections: 0, documents: 0 }));

    const later = connectProvider(cleanups, server, 'meeting-later');
    await later.synced;
    expect(later.text.toJSON()).toBe('before everyone left.');
  });

  it('brings a deletion that arrived before what it deletes to every client, the writer included', async () => {
    const server = await startSyncTestServer(cleanups);
    const writer = connectProvider(cleanups, server, 'meeting-early-delete');
    const reader = connectProvider(cleanups, server, 'meeting-early-delete');
    const early = openRawSocket(cleanups, socketUrl(server, 'meeting-early-delete', server.ticket('meeting-early-delete')));
    await Promise.all([writer.synced, reader.synced, early.opened]);
    writer.text.insert(0, 'ab');
    await vi.waitFor(() => expect(reader.text.toJSON()).toBe('ab'));

    // Delete the writer's next clocks 3–4 before it wrote them (another tab, relayed over BroadcastChannel,
    // can do this): the server keeps the deletion pending until the writer's insertion arrives.
    const deletion = encoding.createEncoder();
    for (const field of [0, 1, writer.doc.clientID, 1, 3, 2]) encoding.writeVarUint(deletion, field);
    const frame = encoding.createEncoder();
    encoding.writeVarUint(frame, SYNC_MESSAGE.sync);
    writeUpdate(frame, encoding.toUint8Array(deletion));
    expect((await sendThenBarrier(early, encoding.toUint8Array(frame))).closed).toBeNull();
    writer.text.insert(2, 'cdef');

    await vi.waitFor(async () => {
      expect((await storedFingerprint(server.store, 'meeting-early-delete')).text).toBe('abcf');
      expect(reader.text.toJSON()).toBe('abcf');
      expect(writer.text.toJSON()).toBe('abcf');
    });
  });

  it('relays presence, and removes a vanished connection’s presence at once', async () => {
    const server = await startSyncTestServer(cleanups);
    const watcher = connectProvider(cleanups, server, 'meeting-presence');
    const leaver = openRawSocket(cleanups, socketUrl(server, 'meeting-presence', server.ticket('meeting-presence')));
    await Promise.all([watcher.synced, leaver.opened]);
    const leaverPresence = new Awareness(new Y.Doc());
    leaverPresence.setLocalStateField('user', { name: 'Sam', color: '#1a5fb4' });
    const leaverId = leaverPresence.clientID;
    leaver.ws.send(awarenessFrame(leaverPresence));
    await vi.waitFor(() => expect(watcher.provider.awareness.getStates().get(leaverId)).toMatchObject({ user: { name: 'Sam' } }));
    leaverPresence.destroy();

    // Cut the socket without a goodbye, as a lost network would.
    leaver.ws.terminate();
    await vi.waitFor(() => expect(watcher.provider.awareness.getStates().has(leaverId)).toBe(false));
  });

  it('closes every connection of a document on request, and only those', async () => {
    const server = await startSyncTestServer(cleanups);
    const revoked = openRawSocket(cleanups, socketUrl(server, 'meeting-revoked', server.ticket('meeting-revoked')));
    const other = connectProvider(cleanups, server, 'meeting-kept');
    await Promise.all([revoked.opened, other.synced]);

    server.sync.closeDocumentConnections('meeting-revoked', SYNC_CLOSE.forbidden, 'access revoked');
    expect((await revoked.closed).code).toBe(SYNC_CLOSE.forbidden);
    other.text.insert(0, 'still here');
    await vi.waitFor(async () => expect((await storedFingerprint(server.store, 'meeting-kept')).text).toBe('still here'));
    expect(other.provider.wsconnected).toBe(true);
  });

  it('terminates a connection that stops answering pings', async () => {
    const server = await startSyncTestServer(cleanups, { heartbeatIntervalMs: 30 });
    const silent = openRawSocket(cleanups, socketUrl(server, 'meeting-ping', server.ticket('meeting-ping')), { autoPong: false });
    await silent.opened;
    expect((await silent.closed).code).toBe(1006);
    await vi.waitFor(() => expect(server.sync.stats().connections).toBe(0));
  });
});

function awarenessFrame(awareness: Awareness): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, SYNC_MESSAGE.awareness);
  encoding.writeVarUint8Array(encoder, encodeAwarenessUpdate(awareness, [awareness.clientID]));
  return encoding.toUint8Array(encoder);
}
