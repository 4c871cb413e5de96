import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import { writeSyncStep1 } from 'y-protocols/sync';
import * as Y from 'yjs';
import { SYNC_MESSAGE, SYNC_PATH } from '../../../shared/protocol/sync.ts';
import { createLogger } from '../../../server/log.ts';
import { openDatabase } from '../../../server/store/database.ts';
import type { DocStore } from '../../../server/store/docStore.ts';
import { openWorkerDocStore } from '../../../server/store/workerDocStore.ts';
import { createSyncServer, type SyncServer, type SyncServerOptions } from '../../../server/sync/syncServer.ts';
import { createTicketSigner, type SyncTicketClaims, type TicketSigner } from '../../../server/sync/tickets.ts';

/** Teardown registered by the factories below, run in reverse by each test file's afterEach. */
export type Cleanups = (() => Promise<void> | void)[];

export async function runCleanups(cleanups: Cleanups): Promise<void> {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
}

export interface SyncTestServer {
  /** `ws://127.0.0.1:<port>/sync`, the provider's server URL. */
  baseUrl: string;
  sync: SyncServer;
  /** The real store underneath (not the wrapped one the server may be using). */
  store: DocStore;
  signer: TicketSigner;
  ticket(docName: string, claims?: Partial<SyncTicketClaims>): string;
}

export type TestServerOptions = Partial<Omit<SyncServerOptions, 'docStore' | 'verifyTicket' | 'logger'>> & {
  /** Lets a test slow down or break the store the server sees. */
  wrapStore?: (store: DocStore) => DocStore;
  /** A store the test opened (and closes) itself, e.g. a second instance on one database; by default a new SQLite one. */
  store?: DocStore;
  /** Shares tickets between servers, as instances behind one load balancer share the signing key. */
  signer?: TicketSigner;
};

/** The real sync server on a real HTTP server on port 0, over SQLite (on its writer thread) in a temporary directory. */
export async function startSyncTestServer(cleanups: Cleanups, options: TestServerOptions = {}): Promise<SyncTestServer> {
  const { wrapStore, store: given, signer: givenSigner, ...serverOptions } = options;
  const dataDir = given ? null : mkdtempSync(join(tmpdir(), 'polyphony-sync-'));
  if (dataDir) openDatabase(dataDir).close(); // creates the schema before the writer thread opens the file
  const owned = dataDir ? openWorkerDocStore(dataDir) : null;
  const store = given ?? owned;
  if (!store) throw new Error('no store');
  const signer = givenSigner ?? createTicketSigner(randomBytes(32));
  const sync = createSyncServer({
    docStore: wrapStore ? wrapStore(store) : store,
    verifyTicket: (ticket) => signer.verify(ticket),
    logger: createLogger({}, process.env['SYNC_TEST_LOGS'] ? (line) => process.stderr.write(line + '\n') : () => {}),
    ...serverOptions,
  });
  const http = createServer((_req, res) => res.writeHead(404).end());
  http.on('upgrade', (req, socket, head) => {
    if (!sync.handleUpgrade(req, socket, head)) socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
  });
  await new Promise<void>((done) => http.listen(0, '127.0.0.1', done));
  const { port } = http.address() as AddressInfo;
  cleanups.push(async () => {
    await sync.close();
    http.closeAllConnections();
    await new Promise<void>((done) => http.close(() => done()));
    await owned?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });
  return {
    baseUrl: `ws://127.0.0.1:${port}${SYNC_PATH}`,
    sync,
    store,
    signer,
    ticket: (docName, claims = {}) =>
      signer.sign({ docName, mode: 'read-write', subject: 'test-subject', expiresAt: Date.now() + 60_000, ...claims }),
  };
}

export interface ProviderClient {
  doc: Y.Doc;
  text: Y.Text;
  provider: WebsocketProvider;
  /** Resolves on the first completed sync with the server. */
  synced: Promise<void>;
}

/** The stock y-websocket client, as a browser tab would use it. */
export function connectProvider(cleanups: Cleanups, server: SyncTestServer, docName: string, ticket = server.ticket(docName)): ProviderClient {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(server.baseUrl, docName, doc, {
    connect: true,
    params: { ticket },
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
  });
  const synced = new Promise<void>((done) => {
    const onSync = (isSynced: boolean): void => {
      if (!isSynced) return;
      provider.off('sync', onSync);
      done();
    };
    provider.on('sync', onSync);
  });
  cleanups.push(() => {
    provider.destroy();
    doc.destroy();
  });
  return { doc, text: doc.getText('t'), provider, synced };
}

export interface RawSocket {
  ws: WebSocket;
  messages: Uint8Array[];
  opened: Promise<void>;
  closed: Promise<{ code: number; reason: string }>;
  /** The first message (already received or still to come) that matches. */
  waitForMessage(matches: (message: Uint8Array) => boolean): Promise<Uint8Array>;
}

/** A bare ws client, for sending exactly the frames a test wants and seeing exactly what comes back. */
export function openRawSocket(cleanups: Cleanups, url: string, options: WebSocket.ClientOptions = {}): RawSocket {
  const ws = new WebSocket(url, options);
  const messages: Uint8Array[] = [];
  const waiters: { matches: (message: Uint8Array) => boolean; done: (message: Uint8Array) => void }[] = [];
  ws.on('message', (data: WebSocket.RawData) => {
    const message = new Uint8Array(Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as Buffer));
    messages.push(message);
    for (const waiter of waiters.splice(0)) {
      if (waiter.matches(message)) waiter.done(message);
      else waiters.push(waiter);
    }
  });
  ws.on('error', () => {});
  const opened = new Promise<void>((done) => ws.once('open', () => done()));
  const closed = new Promise<{ code: number; reason: string }>((done) =>
    ws.once('close', (code: number, reason: Buffer) => done({ code, reason: reason.toString() })),
  );
  cleanups.push(() => ws.terminate());
  return {
    ws,
    messages,
    opened,
    closed,
    waitForMessage(matches) {
      const seen = messages.find(matches);
      if (seen) return Promise.resolve(seen);
      return new Promise((done) => waiters.push({ matches, done }));
    },
  };
}

export function socketUrl(server: SyncTestServer, docName: string, ticket: string | null): string {
  return `${server.baseUrl}/${docName}${ticket === null ? '' : `?ticket=${encodeURIComponent(ticket)}`}`;
}

/** Top-level type and, for sync messages, the sync sub-type (0 step 1, 1 step 2, 2 update). */
export function messageKind(message: Uint8Array): { type: number; syncType: number | null } {
  const decoder = decoding.createDecoder(message);
  const type = decoding.readVarUint(decoder);
  return { type, syncType: type === SYNC_MESSAGE.sync ? decoding.readVarUint(decoder) : null };
}

export const isSyncStep1 = (message: Uint8Array): boolean => messageKind(message).syncType === 0;
export const isSyncStep2 = (message: Uint8Array): boolean => messageKind(message).syncType === 1;

/** A SyncStep1 from an empty document: the server answers with its whole state. */
export function emptySyncStep1(): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, SYNC_MESSAGE.sync);
  writeSyncStep1(encoder, new Y.Doc());
  return encoding.toUint8Array(encoder);
}

/** The update inside a SyncStep2 or update message. */
export function updateOf(message: Uint8Array): Uint8Array {
  const decoder = decoding.createDecoder(message);
  decoding.readVarUint(decoder);
  decoding.readVarUint(decoder);
  return decoding.readVarUint8Array(decoder);
}

/**
 * Sends `frame`, then a SyncStep1. Messages of one connection are handled in order, so the answer (or the
 * close) tells that `frame` has been dealt with, and that anything it changed is stored.
 */
export async function sendThenBarrier(socket: RawSocket, frame: Uint8Array | string): Promise<{ closed: { code: number } | null; state: Uint8Array | null }> {
  const before = socket.messages.length;
  socket.ws.send(frame);
  socket.ws.send(emptySyncStep1());
  const answer = socket.waitForMessage((message) => socket.messages.indexOf(message) >= before && isSyncStep2(message));
  const outcome = await Promise.race([answer.then((message) => ({ kind: 'answer' as const, message })), socket.closed.then((closed) => ({ kind: 'closed' as const, closed }))]);
  return outcome.kind === 'closed' ? { closed: outcome.closed, state: null } : { closed: null, state: updateOf(outcome.message) };
}

/** The document as stored: every row applied to a fresh Y.Doc. */
export async function loadStoredDoc(store: DocStore, docName: string): Promise<Y.Doc> {
  const { updates } = await store.load(docName);
  const doc = new Y.Doc();
  for (const update of updates) Y.applyUpdate(doc, update);
  return doc;
}

/** A comparable fingerprint of stored content: the state vector and the text. */
export async function storedFingerprint(store: DocStore, docName: string): Promise<{ rows: number; stateVector: string; text: string }> {
  const doc = await loadStoredDoc(store, docName);
  const fingerprint = { rows: await store.count(docName), stateVector: Buffer.from(Y.encodeStateVector(doc)).toString('hex'), text: doc.getText('t').toJSON() };
  doc.destroy();
  return fingerprint;
}
