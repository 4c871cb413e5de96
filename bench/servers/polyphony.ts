import { appendFileSync } from 'node:fs';
import { createLeasedOwnership } from '../../server/cluster/leasedOwnership.ts';
import { createServer } from 'node:http';
import { createLogger } from '../../server/log.ts';
import { openDatabase } from '../../server/store/database.ts';
import type { DocumentOwnership } from '../../server/cluster/documentOwnership.ts';
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
// With BENCH_INSTANCE_ID as well (bench/cluster), it is one of several instances on that PostgreSQL and
// serves only the documents it holds a lease on, as server/main.ts does; it then answers GET /healthz for
// HAProxy's health checks.
const { dataDir, ticketSecret, databaseUrl } = readChildConfig();
const instanceId = process.env['BENCH_INSTANCE_ID'];
const logFile = process.env['BENCH_SERVER_LOG_FILE'];
const logger = createLogger({}, logFile ? (line) => appendFileSync(logFile, `${line}\n`) : () => {});
const { docStore, closeStore, ownership } = await openDocStore();
const signer = createTicketSigner(ticketSecret);
const sync = createSyncServer({
  ...(ownership ? { ownership } : {}),
  docStore,
  verifyTicket: (ticket) => signer.verify(ticket),
  // BENCH_SERVER_LOG_FILE=/tmp/x.log keeps the server's log lines, to see what it did under load.
  logger,
});

const http = createServer((req, res) => res.writeHead(req.url === '/healthz' ? 200 : 404).end());
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

async function openDocStore(): Promise<{ docStore: DocStore; closeStore: () => Promise<void>; ownership?: DocumentOwnership }> {
  if (databaseUrl) {
    const opened = await openStores({ engine: 'postgres', databaseUrl, dataDir });
    const leases = instanceId === undefined ? undefined : opened.documentLeases?.(instanceId);
    const ownership = leases ? createLeasedOwnership({ leases, logger }) : undefined;
    return { docStore: opened.stores.docs, closeStore: () => opened.close(), ...(ownership ? { ownership } : {}) };
  }
  openDatabase(dataDir).close(); // the schema, before the writer thread opens the file
  const store = openWorkerDocStore(dataDir);
  return { docStore: store, closeStore: () => store.close() };
}
