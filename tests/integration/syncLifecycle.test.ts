import { afterEach, describe, expect, it, vi } from 'vitest';
import * as encoding from 'lib0/encoding';
import { Awareness, encodeAwarenessUpdate } from 'y-protocols/awareness';
import * as Y from 'yjs';
import { SYNC_CLOSE, SYNC_MESSAGE } from '../../shared/protocol/sync.ts';
import type { DocStore } from '../../server/store/docStore.ts';
import {
  connectProvider,
  loadStoredDoc,
  messageKind,
  openRawSocket,
  runCleanups,
  socketUrl,
  startSyncTestServer,
  storedFingerprint,
  type Cleanups,
} from './helpers/syncClient.ts';

// The failure modes issue 5 names in the reference servers, each pinned by a test here.
const cleanups: Cleanups = [];
afterEach(() => runCleanups(cleanups));

/** A store whose loads wait until the test lets them go. */
function gatedLoads(store: DocStore) {
  let release: () => void = () => {};
  const gate = new Promise<void>((done) => (release = done));
  let loadsStarted = 0;
  const wrapped: DocStore = {
    ...store,
    load: async (name) => {
      loadsStarted++;
      await gate;
      return store.load(name);
    },
  };
  return { wrapped, release: () => release(), loadsStarted: () => loadsStarted };
}

/** Writes `text` into a document through a real client, then waits until the server has stored it. */
async function writeThroughClient(server: Awaited<ReturnType<typeof startSyncTestServer>>, docName: string, text: string) {
  const client = connectProvider(cleanups, server, docName);
  await client.synced;
  client.text.insert(0, text);
  await vi.waitFor(async () => expect((await storedFingerprint(server.store, docName)).text).toBe(text));
  client.provider.destroy();
}

describe('document lifecycle', () => {
  it('never answers a first SyncStep1 with an empty document while the stored one is still loading', async () => {
    let gate: ReturnType<typeof gatedLoads> | undefined;
    const server = await startSyncTestServer(cleanups, {
      wrapStore: (store) => {
        gate = gatedLoads(store);
        return gate.wrapped;
      },
    });
    if (!gate) throw new Error('store not wrapped');
    await server.store.append('meeting-slow', (() => {
      const doc = new Y.Doc();
      doc.getText('t').insert(0, 'stored before anyone came');
      return Y.encodeStateAsUpdate(doc);
    })());
    const client = connectProvider(cleanups, server, 'meeting-slow');
    const g = gate;
    await vi.waitFor(() => expect(g.loadsStarted()).toBe(1));
    expect(client.provider.synced).toBe(false);
    g.release();
    await client.synced;
    // The very first sync the client completed already carried the stored text.
    expect(client.text.toJSON()).toBe('stored before anyone came');
  });

  it('never seeds: reloading a document, even one emptied by deletion, duplicates nothing', async () => {
    const server = await startSyncTestServer(cleanups, { unloadGraceMs: 20 });
    await writeThroughClient(server, 'meeting-reload', 'hello');
    await vi.waitFor(() => expect(server.sync.stats().documents).toBe(0));
    const [a, b] = [connectProvider(cleanups, server, 'meeting-reload'), connectProvider(cleanups, server, 'meeting-reload')];
    await Promise.all([a.synced, b.synced]);
    expect(a.text.toJSON()).toBe('hello');
    a.text.delete(0, a.text.length);
    await vi.waitFor(async () => expect((await storedFingerprint(server.store, 'meeting-reload')).text).toBe(''));
    a.provider.destroy();
    b.provider.destroy();
    await vi.waitFor(() => expect(server.sync.stats().documents).toBe(0));

    const c = connectProvider(cleanups, server, 'meeting-reload');
    await c.synced;
    expect(c.text.toJSON()).toBe('');
    c.text.insert(0, 'x');
    await vi.waitFor(async () => expect((await storedFingerprint(server.store, 'meeting-reload')).text).toBe('x'));
  });

  it('keeps nothing in memory when loading from the store throws, and tells the client internal', async () => {
    const server = await startSyncTestServer(cleanups, {
      wrapStore: (store) => ({ ...store, load: () => Promise.reject(new Error('disk unreadable')) }),
    });
    const socket = openRawSocket(cleanups, socketUrl(server, 'meeting-broken', server.ticket('meeting-broken')));
    expect((await socket.closed).code).toBe(SYNC_CLOSE.internal);
    await vi.waitFor(() => expect(server.sync.stats()).toEqual({ connections: 0, documents: 0 }));
  });

  it('drops a document whose write failed, stores nothing of it, and lets the client reconnect to a fresh load', async () => {
    let failWrites = true;
    const server = await startSyncTestServer(cleanups, {
      wrapStore: (store) => ({
        ...store,
        append: (name, update, epoch) => (failWrites ? Promise.reject(new Error('disk full')) : store.append(name, update, epoch)),
        appendMany: (name, updates, clients, epoch) => (failWrites ? Promise.reject(new Error('disk full')) : store.appendMany(name, updates, clients, epoch)),
      }),
    });
    const client = connectProvider(cleanups, server, 'meeting-full');
    await client.synced;
    const closes: number[] = [];
    client.provider.on('connection-close', (event: CloseEvent | null) => event && closes.push(event.code));
    client.text.insert(0, 'kept by the client');
    await vi.waitFor(() => expect(closes).toContain(SYNC_CLOSE.internal));
    expect((await storedFingerprint(server.store, 'meeting-full')).rows).toBe(0);
    // Once the store works again, the client's reconnect sends its edit again and it is stored.
    failWrites = false;
    await vi.waitFor(async () => expect((await storedFingerprint(server.store, 'meeting-full')).text).toBe('kept by the client'), { timeout: 10_000 });
  });

  it('compacts into a real document: identical content, one row, and deleted text no longer stored', async () => {
    const server = await startSyncTestServer(cleanups, { unloadGraceMs: 20 });
    const client = connectProvider(cleanups, server, 'meeting-churn');
    await client.synced;
    const page = 'x'.repeat(1000);
    for (let i = 0; i < 100; i++) {
      client.text.insert(0, page);
      client.text.delete(0, page.length);
    }
    client.text.insert(0, 'what remains');
    await vi.waitFor(async () => expect((await storedFingerprint(server.store, 'meeting-churn')).text).toBe('what remains'));
    const before = await storedFingerprint(server.store, 'meeting-churn');
    const docBefore = await loadStoredDoc(server.store, 'meeting-churn');
    const bytesBefore = (await server.store.load('meeting-churn')).updates.reduce((sum, u) => sum + u.byteLength, 0);
    client.provider.destroy();

    await vi.waitFor(async () => expect(await server.store.count('meeting-churn')).toBe(1));
    const after = await storedFingerprint(server.store, 'meeting-churn');
    expect(after).toEqual({ ...before, rows: 1 });
    const docAfter = await loadStoredDoc(server.store, 'meeting-churn');
    expect(Buffer.from(Y.encodeStateAsUpdate(docAfter)).equals(Buffer.from(Y.encodeStateAsUpdate(docBefore)))).toBe(true);
    const bytesAfter = (await server.store.load('meeting-churn')).updates[0]?.byteLength ?? Infinity;
    expect(bytesBefore).toBeGreaterThan(100_000);
    expect(bytesAfter).toBeLessThan(2_000);
  });

  it('keeps a loaded document\'s log short: compacts in the background while people type, losing nothing', async () => {
    const server = await startSyncTestServer(cleanups, { compactAfterRows: 20 });
    const client = connectProvider(cleanups, server, 'meeting-long');
    await client.synced;
    for (let i = 0; i < 200; i++) {
      client.text.insert(client.text.length, String(i % 10));
      if (i % 10 === 0) await new Promise((done) => setTimeout(done, 1)); // several commits, not one
    }
    const typed = client.text.toJSON();
    await vi.waitFor(async () => expect((await storedFingerprint(server.store, 'meeting-long')).text).toBe(typed));
    // Compaction runs in the background: on a busy machine it may take more than waitFor's default second.
    await vi.waitFor(async () => expect(await server.store.count('meeting-long')).toBeLessThanOrEqual(20), { timeout: 10_000 });
    const stored = await loadStoredDoc(server.store, 'meeting-long');
    expect(Y.encodeStateVector(stored)).toEqual(Y.encodeStateVector(client.doc));
    expect(stored.getText('t').toJSON()).toBe(typed);
  });

  it('compacts every loaded document when the server closes (SIGTERM), so a restart loads one row', async () => {
    const server = await startSyncTestServer(cleanups);
    const client = connectProvider(cleanups, server, 'meeting-open');
    await client.synced;
    for (let i = 0; i < 30; i++) client.text.insert(0, 'x');
    await vi.waitFor(async () => expect((await storedFingerprint(server.store, 'meeting-open')).text).toBe('x'.repeat(30)));
    expect(await server.store.count('meeting-open')).toBeGreaterThan(1);
    await server.sync.close();
    expect(await storedFingerprint(server.store, 'meeting-open')).toEqual({
      rows: 1,
      stateVector: Buffer.from(Y.encodeStateVector(client.doc)).toString('hex'),
      text: 'x'.repeat(30),
    });
  });

  it('compacts a long log found at load (left by a crash) right away, keeping the content', async () => {
    const server = await startSyncTestServer(cleanups, { compactAfterRows: 50 });
    const writer = new Y.Doc();
    const updates: Uint8Array[] = [];
    writer.on('update', (update: Uint8Array) => void updates.push(update));
    for (let i = 0; i < 120; i++) writer.getText('t').insert(i, 'y');
    await server.store.appendMany('meeting-crashed', updates);
    const client = connectProvider(cleanups, server, 'meeting-crashed');
    await client.synced;
    expect(client.text.toJSON()).toBe('y'.repeat(120));
    await vi.waitFor(async () => expect(await server.store.count('meeting-crashed')).toBe(1));
    expect((await storedFingerprint(server.store, 'meeting-crashed')).text).toBe('y'.repeat(120));
  });

  it('coalesces an awareness burst: others get far fewer messages than were sent, ending in the last state', async () => {
    const server = await startSyncTestServer(cleanups);
    const listener = openRawSocket(cleanups, socketUrl(server, 'meeting-aware', server.ticket('meeting-aware')));
    const sender = openRawSocket(cleanups, socketUrl(server, 'meeting-aware', server.ticket('meeting-aware')));
    await Promise.all([listener.opened, sender.opened]);
    const doc = new Y.Doc();
    const awareness = new Awareness(doc);
    const burst = 200;
    for (let i = 0; i < burst; i++) {
      awareness.setLocalState({ cursor: i });
      const encoder = encoding.createEncoder();
      encoding.writeVarUint(encoder, SYNC_MESSAGE.awareness);
      encoding.writeVarUint8Array(encoder, encodeAwarenessUpdate(awareness, [doc.clientID]));
      sender.ws.send(encoding.toUint8Array(encoder));
    }
    const lastState = (message: Uint8Array) => messageKind(message).type === SYNC_MESSAGE.awareness && Buffer.from(message).includes(Buffer.from(`"cursor":${burst - 1}`));
    await listener.waitForMessage(lastState);
    const received = listener.messages.filter((m) => messageKind(m).type === SYNC_MESSAGE.awareness).length;
    expect(received).toBeLessThan(burst / 4);
  });
});
