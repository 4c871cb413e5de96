import { appendFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createLogger } from '../../server/log.ts';
import { openDatabase } from '../../server/store/database.ts';
import { openWorkerDocStore } from '../../server/store/workerDocStore.ts';
import { createSyncServer } from '../../server/sync/syncServer.ts';
import { createTicketSigner } from '../../server/sync/tickets.ts';
import { announceReady, listenOnLoopback, readChildConfig, handleParentRequests } from './childProcess.ts';

// Bench-only entry: Polyphony's sync server with its defaults (SQLite WAL + synchronous=FULL on the writer
// thread, write before broadcast, 10 s unload grace), tickets checked by signature, on a bare HTTP server. No LiveKit, no API,
// and no `authorize` callback (the bench has no meetings table to ask); its cost is one indexed read.
const { dataDir, ticketSecret } = readChildConfig();
const logFile = process.env['BENCH_SERVER_LOG_FILE'];
openDatabase(dataDir).close(); // the schema, before the writer thread opens the file
const docStore = openWorkerDocStore(dataDir);
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
  await docStore.close();
});
