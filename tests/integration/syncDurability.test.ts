import * as encoding from 'lib0/encoding';
import { Awareness, encodeAwarenessUpdate } from 'y-protocols/awareness';
import * as Y from 'yjs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SYNC_CLOSE, SYNC_MESSAGE } from '../../shared/protocol/sync.ts';
import type { DocStore } from '../../server/store/docStore.ts';
import {
  connectProvider,
  isSyncStep1,
  messageKind,
  openRawSocket,
  runCleanups,
  socketUrl,
  startSyncTestServer,
  storedFingerprint,
  type Cleanups,
} from './helpers/syncClient.ts';

const cleanups: Cleanups = [];
afterEach(() => runCleanups(cleanups));

/** A gate a test opens by hand; `entered` counts the calls that reached it. */
function createGate() {
  let open: () => void = () => {};
  const opened = new Promise<void>((done) => (open = done));
  let entered = 0;
  return {
    pass: async () => {
      entered++;
      await opened;
    },
    open: () => open(),
    entered: () => entered,
  };
}

/** Writes wait at the gate once `armed` is set. */
function gatedWrites(store: DocStore, gate: ReturnType<typeof createGate>, armed: () => boolean): DocStore {
  return {
    ...store,
    append: async (name, update, epoch) => (armed() && (await gate.pass()), store.append(name, update, epoch)),
    appendMany: async (name, updates, clients, epoch) => (armed() && (await gate.pass()), store.appendMany(name, updates, clients, epoch)),
  };
}

const isUpdateMessage = (message: Uint8Array): boolean => messageKind(message).syncType === 2;

describe('durability', () => {
  it('sends an update to the others only once its write has resolved', async () => {
    const gate = createGate();
    let armed = false;
    const server = await startSyncTestServer(cleanups, { wrapStore: (store) => gatedWrites(store, gate, () => armed) });
    // Teardown runs in reverse: the gate opens before the server's close waits on it.
    cleanups.push(() => gate.open());
    const writer = connectProvider(cleanups, server, 'meeting-durable');
    const other = openRawSocket(cleanups, socketUrl(server, 'meeting-durable', server.ticket('meeting-durable')));
    await Promise.all([writer.synced, other.waitForMessage(isSyncStep1)]);

    armed = true;
    writer.text.insert(0, 'not yet stored');
    await vi.waitFor(() => expect(gate.entered()).toBe(1));
    // Barrier: the server echoes presence to everyone within 50 ms; our own presence coming back proves
    // that everything the server sent before it (an early broadcast of the update would be) has arrived.
    other.ws.send(presenceFrame('barrier'));
    await other.waitForMessage((message) => messageKind(message).type === SYNC_MESSAGE.awareness && Buffer.from(message).includes('barrier'));
    expect(other.messages.filter(isUpdateMessage)).toHaveLength(0);

    gate.open();
    await other.waitForMessage(isUpdateMessage);
    expect((await storedFingerprint(server.store, 'meeting-durable')).text).toBe('not yet stored');
  });

  it('closes every socket with 1001 on shutdown, and resolves only after the pending write is stored', async () => {
    const gate = createGate();
    let armed = false;
    const server = await startSyncTestServer(cleanups, { wrapStore: (store) => gatedWrites(store, gate, () => armed) });
    // Teardown runs in reverse: the gate opens before the server's close waits on it.
    cleanups.push(() => gate.open());
    const writer = connectProvider(cleanups, server, 'meeting-shutdown');
    const watcher = openRawSocket(cleanups, socketUrl(server, 'meeting-shutdown', server.ticket('meeting-shutdown')));
    await Promise.all([writer.synced, watcher.opened]);

    armed = true;
    writer.text.insert(0, 'typed just before the shutdown');
    await vi.waitFor(() => expect(gate.entered()).toBe(1));
    let closeResolved = false;
    const closing = server.sync.close().then(() => (closeResolved = true));
    expect((await watcher.closed).code).toBe(SYNC_CLOSE.goingAway);
    expect(closeResolved).toBe(false);

    gate.open();
    await closing;
    expect((await storedFingerprint(server.store, 'meeting-shutdown')).text).toBe('typed just before the shutdown');
    expect(server.sync.stats()).toEqual({ connections: 0, documents: 0 });
  });

  it('shares one load between connections that arrive while the document is loading', async () => {
    const gate = createGate();
    const server = await startSyncTestServer(cleanups, {
      wrapStore: (store) => ({ ...store, load: async (name) => (await gate.pass(), store.load(name)) }),
    });
    // Teardown runs in reverse: the gate opens before the server's close waits on it.
    cleanups.push(() => gate.open());
    const stored = new Y.Doc();
    stored.getText('t').insert(0, 'from the store');
    await server.store.append('meeting-shared', Y.encodeStateAsUpdate(stored));

    const clients = [connectProvider(cleanups, server, 'meeting-shared'), connectProvider(cleanups, server, 'meeting-shared')];
    await vi.waitFor(() => expect(server.sync.stats()).toEqual({ connections: 2, documents: 1 }));
    gate.open();
    await Promise.all(clients.map((client) => client.synced));
    for (const client of clients) expect(client.text.toJSON()).toBe('from the store');
    expect(gate.entered()).toBe(1);
  });
});

function presenceFrame(marker: string): Uint8Array {
  const awareness = new Awareness(new Y.Doc());
  awareness.setLocalState({ marker });
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, SYNC_MESSAGE.awareness);
  encoding.writeVarUint8Array(encoder, encodeAwarenessUpdate(awareness, [awareness.clientID]));
  awareness.destroy();
  return encoding.toUint8Array(encoder);
}
