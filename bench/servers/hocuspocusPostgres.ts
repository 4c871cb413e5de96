import { Database } from '@hocuspocus/extension-database';
import { Server } from '@hocuspocus/server';
import { createTicketSigner } from '../../server/sync/tickets.ts';
import { announceReady, readChildConfig, handleParentRequests } from './childProcess.ts';
import { openPostgresSnapshotStore } from './postgresSnapshotStore.ts';
import { createStoredBeforeBroadcast } from './storedBeforeBroadcast.ts';

// Bench-only entry: the Hocuspocus column (hocuspocus.ts: @hocuspocus/server 4.7.0, the Database extension,
// `debounce: 0`, tickets in onAuthenticate) storing into PostgreSQL (DATABASE_URL, a database of its own),
// with every update's broadcast held until a store containing it has committed (storedBeforeBroadcast.ts).
const { ticketSecret, databaseUrl } = readChildConfig();
if (!databaseUrl) throw new Error('DATABASE_URL must be set for hocuspocus-postgres');
const store = await openPostgresSnapshotStore(databaseUrl);
const signer = createTicketSigner(ticketSecret);
const durability = createStoredBeforeBroadcast();

const server = new Server({
  port: 0,
  address: '127.0.0.1',
  quiet: true,
  stopOnSignals: false,
  debounce: 0,
  maxDebounce: 0,
  unloadImmediately: true,
  extensions: [
    new Database({
      fetch: async ({ documentName }) => store.fetch(documentName),
      store: ({ document, documentName, state }) => durability.storing(document, () => store.upsert(documentName, state)),
    }),
    durability.extension,
  ],
  async onAuthenticate({ token, documentName }) {
    const verified = signer.verify(token);
    if (!verified.ok || verified.claims.docName !== documentName) throw new Error('unauthorized');
  },
});
await server.listen();
announceReady(server.address.port);

handleParentRequests(async () => {
  await server.destroy();
  await store.close();
});
