import { describe, expect, it } from 'vitest';
import * as decoding from 'lib0/decoding';
import * as Y from 'yjs';
import { SYNC_CLOSE, type SyncCloseCode } from '../../shared/protocol/sync.ts';
import type { LogFields, LogLevel } from '../log.ts';
import { SYNC_LIMITS } from '../../shared/protocol/syncLimits.ts';
import { DocumentBudget } from './documentBudget.ts';
import type { DocumentRegistry } from './documentRegistry.ts';
import type { ClientMessage } from './messages.ts';
import type { Incoming, SyncConnection } from './syncConnection.ts';
import type { SyncDocument } from './syncDocument.ts';
import { startSyncSession } from './syncSession.ts';
import type { UpdateShape } from './updateBounds.ts';

/** A promise and the functions that settle it. */
function deferred<T>() {
  let resolve: (value: T) => void = () => {};
  let reject: (error: unknown) => void = () => {};
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const tick = (): Promise<void> => new Promise((done) => setImmediate(done));

/** What the session did, in order: frames sent (by their first two bytes), updates applied, closes, log events. */
function fakes(mode: 'read-write' | 'read-only' = 'read-write') {
  const events: string[] = [];
  const sent: Uint8Array[] = [];
  const load = deferred<SyncDocument>();
  let flushed: Promise<void> = Promise.resolve();
  let released = 0;
  let open = true;
  const connection: SyncConnection = {
    id: 'c1',
    docName: 'doc',
    mode,
    subject: 's',
    writer: { id: 's', role: undefined },
    get isOpen() {
      return open;
    },
    send(message) {
      sent.push(message);
      events.push(`send ${message[0]},${message[1]}`);
    },
    sendMany: (messages) => messages.forEach((message) => connection.send(message)),
    close(code: SyncCloseCode) {
      if (!open) return;
      open = false;
      events.push(`close ${code}`);
    },
    log: (level: LogLevel, event: string, fields?: LogFields) => void events.push(`${level} ${event}${fields ? ` ${JSON.stringify(fields)}` : ''}`),
    heartbeat: () => {},
    pauseReading: () => {},
    resumeReading: () => {},
    decode: (frame) => messagesOf.get(frame) ?? null,
  };
  const doc = new Y.Doc();
  let throwOnApply = false;
  const document: SyncDocument = {
    name: 'doc',
    doc,
    peers: new Set(),
    broken: false,
    addPeer: () => {},
    removePeer: () => {},
    applyClientUpdate(update) {
      if (throwOnApply) throw new Error('boom');
      events.push(`apply ${update.length}`);
      return 'applied';
    },
    admit: () => 'ok',
    applyRemoteUpdate: () => true,
    applyAwareness: () => {
      events.push('awareness');
      return { refusedOthers: 0, overLimit: null };
    },
    awarenessSnapshot: () => null,
    holdWrites: () => {},
    flushed: () => flushed,
    destroy: () => {},
  };
  const registry: DocumentRegistry = {
    acquire: () => ({ ready: load.promise, release: () => void released++, budget: new DocumentBudget(SYNC_LIMITS.documentRate) }),
    size: () => 1,
    drop: async () => {},
    close: async () => {},
  };
  return {
    events,
    sent,
    connection,
    document,
    registry,
    load,
    released: () => released,
    holdFlush: (until: Promise<void>) => void (flushed = until),
    throwOnApply: () => void (throwOnApply = true),
  };
}

const stateVector: ClientMessage = { type: 'syncStep1', stateVector: Y.encodeStateVector(new Y.Doc()) };
const shape: UpdateShape = { parts: 1, nestedTypes: [], structs: [] };
const update = (bytes: number[]): ClientMessage => ({ type: 'update', update: new Uint8Array(bytes), shape });
/** The messages behind the frames made by `incoming`: the fake connection's decoder. */
const messagesOf = new WeakMap<Uint8Array, ClientMessage>();
/** A frame as the connection hands it on, standing for `message`. */
const incoming = (message: ClientMessage): Incoming => {
  const frame = new Uint8Array(1);
  messagesOf.set(frame, message);
  return { frame, bytes: 1 };
};
const someUpdate = (): ClientMessage => {
  const doc = new Y.Doc();
  doc.getText('t').insert(0, 'x');
  return { type: 'update', update: Y.encodeStateAsUpdate(doc), shape };
};

describe('sync session', () => {
  it('greets, then handles what arrived during the load, in order', async () => {
    const f = fakes();
    const session = startSyncSession(f.connection, f.registry);
    session.message(incoming(someUpdate()));
    session.message(incoming({ type: 'awareness', update: new Uint8Array([0]) }));
    expect(f.events).toEqual([]);
    f.load.resolve(f.document);
    await tick();
    expect(f.events).toEqual(['send 0,0', expect.stringMatching(/^apply /), 'awareness']);
  });

  it('answers SyncStep1 only once what is applied is stored, and holds later messages until then', async () => {
    const f = fakes();
    const session = startSyncSession(f.connection, f.registry);
    f.load.resolve(f.document);
    await tick();
    const stored = deferred<void>();
    f.holdFlush(stored.promise);
    session.message(incoming(stateVector));
    session.message(incoming(someUpdate()));
    await tick();
    expect(f.events).toEqual(['send 0,0']);
    stored.resolve();
    await tick();
    expect(f.events.slice(1)).toEqual(['send 0,1', expect.stringMatching(/^apply /)]);
  });

  it('answers SyncStep1 with what was applied when it came, not with what others wrote while it waited', async () => {
    const f = fakes();
    const session = startSyncSession(f.connection, f.registry);
    f.load.resolve(f.document);
    await tick();
    const text = f.document.doc.getText('t');
    text.insert(0, 'stored');
    const stored = deferred<void>();
    f.holdFlush(stored.promise);
    session.message(incoming(stateVector));
    // Another connection's update, applied while this one waits: its write is still on its way, and a
    // crash of the store now would take it back from whoever had been sent it.
    text.insert(text.length, ' unstored');
    stored.resolve();
    await tick();
    const answer = f.sent.find((frame) => frame[0] === 0 && frame[1] === 1);
    if (!answer) throw new Error('no SyncStep2 sent');
    const decoder = decoding.createDecoder(answer);
    decoding.readVarUint(decoder); // sync
    decoding.readVarUint(decoder); // step 2
    const newcomer = new Y.Doc();
    Y.applyUpdate(newcomer, decoding.readVarUint8Array(decoder));
    expect(newcomer.getText('t').toJSON()).toBe('stored');
  });

  it('does not apply an empty update, which changes nothing', async () => {
    const f = fakes();
    const session = startSyncSession(f.connection, f.registry);
    f.load.resolve(f.document);
    await tick();
    session.message(incoming(update([0, 0])));
    session.message(incoming({ type: 'syncStep2', update: new Uint8Array([0, 0]), shape }));
    session.message(incoming(update([0, 1, 1, 0, 0])));
    expect(f.events).toEqual(['send 0,0', 'apply 5']);
  });

  it('drops the updates of a read-only connection, says so once, and counts them when it closes', async () => {
    const f = fakes('read-only');
    const session = startSyncSession(f.connection, f.registry);
    f.load.resolve(f.document);
    await tick();
    session.message(incoming(someUpdate()));
    session.message(incoming(someUpdate()));
    session.closed();
    expect(f.events).toEqual(['warn sync_readonly_update_dropped', 'info sync_readonly_updates_dropped {"count":2}']);
    expect(f.released()).toBe(1);
  });

  it('closes with internal when the document cannot be loaded', async () => {
    const f = fakes();
    const session = startSyncSession(f.connection, f.registry);
    session.message(incoming(someUpdate()));
    f.load.reject(new Error('disk'));
    await tick();
    session.message(incoming(someUpdate()));
    expect(f.events).toEqual([`close ${SYNC_CLOSE.internal}`]);
  });

  it('closes with internal when a handler throws, and handles nothing after it', async () => {
    const f = fakes();
    const session = startSyncSession(f.connection, f.registry);
    f.load.resolve(f.document);
    await tick();
    f.throwOnApply();
    session.message(incoming(someUpdate()));
    session.message(incoming({ type: 'awareness', update: new Uint8Array([0]) }));
    await tick();
    expect(f.events).toEqual(['send 0,0', 'error sync_handler_failed {"errorName":"Error","errorMessage":"boom"}', `close ${SYNC_CLOSE.internal}`]);
  });
});
