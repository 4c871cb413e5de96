import { createServer, type IncomingMessage } from 'node:http';
import { setPersistence, setupWSConnection } from '@y/websocket-server/utils';
import { WebSocketServer } from 'ws';
import * as Y from 'yjs';
import { createTicketSigner } from '../../server/sync/tickets.ts';
import { announceReady, listenOnLoopback, readChildConfig, handleParentRequests } from './childProcess.ts';
import { openUpdateLogStore } from './updateLogStore.ts';

// Bench-only entry: the reference y-websocket backend (@y/websocket-server 0.1.1, its own
// `setupWSConnection`) with a persistence hook of the same durability as Polyphony's: every update is
// committed to SQLite (WAL, synchronous=FULL) before the server's own broadcast listener runs; the stored
// log is loaded synchronously before the first SyncStep1 goes out, and compacted into one snapshot when
// the last connection leaves (as y-leveldb's flush does). Tickets are checked like Polyphony's.
const { dataDir, ticketSecret } = readChildConfig();
const store = openUpdateLogStore(dataDir);
const signer = createTicketSigner(ticketSecret);

setPersistence({
  provider: store,
  bindState(docName: string, doc: Y.Doc) {
    const stored = store.load(docName);
    if (stored.length > 0) {
      doc.transact(() => {
        for (const update of stored) Y.applyUpdate(doc, update);
      });
    }
    persistBeforeBroadcast(doc, (update) => store.append(docName, update));
  },
  async writeState(docName: string, doc: Y.Doc) {
    store.replaceWithSnapshot(docName, Y.encodeStateAsUpdate(doc));
  },
});

const wss = new WebSocketServer({ noServer: true });
const http = createServer((_req, res) => res.writeHead(404).end());
http.on('upgrade', (req, socket, head) => {
  const docName = authorizedDocName(req);
  if (docName === null) {
    socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\n\r\n');
    return;
  }
  wss.handleUpgrade(req, socket, head, (ws) => setupWSConnection(ws, req, { docName }));
});
announceReady(await listenOnLoopback(http));

handleParentRequests(async () => {
  for (const client of wss.clients) client.terminate();
  http.closeAllConnections();
  http.close();
  store.close();
});

/** `/<docName>?ticket=…` with a valid ticket for that document, or null. */
function authorizedDocName(req: IncomingMessage): string | null {
  const url = new URL(req.url ?? '/', 'http://bench.invalid');
  const docName = decodeURIComponent(url.pathname.slice(1));
  const verified = signer.verify(url.searchParams.get('ticket') ?? '');
  return verified.ok && verified.claims.docName === docName ? docName : null;
}

/**
 * Puts `persist` ahead of every 'update' listener already on `doc` (the server's broadcast is registered in
 * the WSSharedDoc constructor, before `bindState` runs), so the write is committed before anyone is sent
 * the update. lib0's Observable keeps listeners in `_observers: Map<name, Set>`; if that ever changes this
 * throws rather than silently measuring a weaker durability.
 */
function persistBeforeBroadcast(doc: Y.Doc, persist: (update: Uint8Array) => void): void {
  const observers = (doc as unknown as { _observers?: unknown })._observers;
  if (!(observers instanceof Map)) throw new Error('lib0 Observable internals changed: cannot order the persistence listener');
  const listeners = observers.get('update') as Set<unknown> | undefined;
  const listener = (update: Uint8Array): void => persist(update);
  observers.set('update', new Set([listener, ...(listeners ?? [])]));
}
