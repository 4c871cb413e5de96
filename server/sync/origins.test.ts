import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as decoding from 'lib0/decoding';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { SYNC_LIMITS } from '../../shared/protocol/syncLimits.ts';
import { createLogger } from '../log.ts';
import { openDatabase } from '../store/database.ts';
import { createSqliteDocStore, type DocStore } from '../store/docStore.ts';
import { createDocumentRegistry } from './documentRegistry.ts';
import { changeOriginOf, clientEdit, LOADED_STATE, mustStore, REMOTE_EDIT, SERVER_MIGRATION, SERVER_READ_MIGRATION } from './origins.ts';
import type { SyncPeer } from './syncDocument.ts';
import { checkUpdateBounds } from './updateBounds.ts';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A document name of no known kind: loaded as stored, with no layout migration written at load. */
const DOC = 'scratch-origins';

function peer(id: string): SyncPeer & { received: Uint8Array[] } {
  const received: Uint8Array[] = [];
  return {
    id,
    subject: `person-${id}`,
    writer: { id: `person-${id}`, role: undefined },
    received,
    send: (message) => void received.push(message),
    sendMany: (messages) => void received.push(...messages),
    close: () => {},
  };
}

/** A SQLite store that counts the updates appended through it. */
function countingStore(): { store: DocStore; appended: Uint8Array[] } {
  const dir = mkdtempSync(join(tmpdir(), 'polyphony-origins-'));
  const db = openDatabase(dir);
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  cleanups.push(() => db.close());
  const inner = createSqliteDocStore(db);
  const appended: Uint8Array[] = [];
  const store: DocStore = {
    ...inner,
    append: (docName, update, epoch) => (appended.push(update), inner.append(docName, update, epoch)),
    appendMany: (docName, updates, clients, epoch) => (appended.push(...updates), inner.appendMany(docName, updates, clients, epoch)),
  };
  return { store, appended };
}

function registryOver(store: DocStore) {
  const registry = createDocumentRegistry({ docStore: store, logger: createLogger({}, () => {}), unloadGraceMs: 60_000, limits: SYNC_LIMITS });
  cleanups.push(() => registry.close());
  return registry;
}

/** An update that appends `text` to a document holding `state`. */
function textUpdate(state: Uint8Array, text: string): Uint8Array {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, state);
  const before = Y.encodeStateVector(doc);
  doc.getText('t').insert(doc.getText('t').length, text);
  return Y.encodeStateAsUpdate(doc, before);
}

const isUpdateFrame = (message: Uint8Array): boolean => {
  const decoder = decoding.createDecoder(message);
  return decoding.readVarUint(decoder) === 0 && decoding.readVarUint(decoder) === 2;
};

describe('change origins on the server', () => {
  it('store a client\'s edit and the server\'s own, never what was loaded or what another instance stored', () => {
    const someone = peer('a');
    expect(mustStore(clientEdit(someone))).toBe(true);
    expect(mustStore(SERVER_MIGRATION)).toBe(true);
    expect(mustStore(LOADED_STATE)).toBe(false);
    expect(mustStore(REMOTE_EDIT)).toBe(false);
    // Read back from a Yjs transaction as they were given; anything else is none of ours.
    for (const origin of [clientEdit(someone), REMOTE_EDIT, LOADED_STATE, SERVER_MIGRATION, SERVER_READ_MIGRATION]) expect(changeOriginOf(origin)).toBe(origin);
    for (const other of [null, 'connection', { kind: 'connection', peer: someone }, { kind: 'client' }, 42]) expect(changeOriginOf(other)).toBeUndefined();
  });

  it('does not append again what a document was loaded with', async () => {
    const { store, appended } = countingStore();
    const stored = new Y.Doc();
    stored.getText('t').insert(0, 'stored earlier');
    await store.append(DOC, Y.encodeStateAsUpdate(stored));
    appended.length = 0;

    const document = await registryOver(store).acquire(DOC, peer('reader')).ready;
    await document.flushed();
    expect(document.doc.getText('t').toJSON()).toBe('stored earlier');
    expect(appended).toEqual([]);
    expect(await store.count(DOC)).toBe(1);
  });

  it('sends another instance\'s edit to every peer without storing it, and stores a client\'s edit before sending it', async () => {
    const { store, appended } = countingStore();
    const [writer, reader] = [peer('writer'), peer('reader')];
    const registry = registryOver(store);
    const document = await registry.acquire(DOC, writer).ready;
    registry.acquire(DOC, reader);

    const remote = textUpdate(Y.encodeStateAsUpdate(document.doc), 'from elsewhere ');
    expect(document.applyRemoteUpdate(remote)).toBe(true);
    await document.flushed();
    expect(document.doc.getText('t').toJSON()).toBe('from elsewhere ');
    expect(appended).toEqual([]);
    // Both peers get it: neither sent it here.
    expect([writer.received.filter(isUpdateFrame).length, reader.received.filter(isUpdateFrame).length]).toEqual([1, 1]);

    const own = textUpdate(Y.encodeStateAsUpdate(document.doc), 'typed here');
    expect(document.applyClientUpdate(own, writer, checkUpdateBounds(own))).toBe('applied');
    await document.flushed();
    expect(appended).toEqual([own]);
    expect([writer.received.filter(isUpdateFrame).length, reader.received.filter(isUpdateFrame).length]).toEqual([1, 2]);
  });
});
