import { appendFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createLogger } from '../../server/log.ts';
import { openDatabase } from '../../server/store/database.ts';
import type { DocStore } from '../../server/store/docStore.ts';
import { openStores } from '../../server/store/openStores.ts';
import { openWorkerDocStore } from '../../server/store/workerDocStore.ts';
import { createSyncServer } from '../../server/sync/syncServer.ts';
import { createTicketSigner } from '../../server/sync/tickets.ts';
import { announceReady, listenOnLoopback, readChildConfig, handleParentRequests } from './childProcess.ts';

// Bench-only entry: Polyphony's sync server with its defaults (SQLite WAL + synchronous=FULL on the writer
// thread, write before broadcast, 10 s unload grace), tickets checked by signature, on a bare HTTP server. No LiveKit, no API,
// and no `authorize` callback (the bench has no meetings table to ask); its cost is one indexed read.
// With DATABASE_URL (the polyphony-postgres column) the documents go to PostgreSQL through the very store the
// server opens for that setting (openStores: migrations, pool, synchronous_commit on, group commit).
const { dataDir, ticketSecret, databaseUrl } = readChildConfig();
const logFile = process.env['BENCH_SERVER_LOG_FILE'];
const { docStore, closeStore } = await openDocStore();
const signer = createTicketSigner(ticketSecret);
const sync = createSyncServer({
  docStore,
  verifyTicket: (ticket) => signer.verify(ticket),
  // BENCH_SERVER_LOG_FILE=/tmp/x.log keeps the server's log lines, to see what it did under load.
  logger: createLogger({}, logFile ? (line) => appendFileSync(logFile, `${line}\n`) : () => {}),
});

const http = createServer((_req, res) => res.writeHead(404).end());
http.on('upgrade', (req, socket, head) => {
  if (!sync.handleUpgrade(req, socket, head)) socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
});
announceReady(await listenOnLoopback(http));

handleParentRequests(async () => {
  await sync.close();
  http.closeAllConnections();
  http.close();
  await closeStore();
});

async function openDocStore(): Promise<{ docStore: DocStore; closeStore: () => Promise<void> }> {
  if (databaseUrl) {
    const opened = await openStores({ engine: 'postgres', databaseUrl, dataDir });
    return { docStore: opened.stores.docs, closeStore: () => opened.close() };
  }
  openDatabase(dataDir).close(); // the schema, before the writer thread opens the file
  const store = openWorkerDocStore(dataDir);
  return { docStore: store, closeStore: () => store.close() };
}
