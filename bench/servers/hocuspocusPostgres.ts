import { Database } from '@hocuspocus/extension-database';
import { readChildConfig } from './childProcess.ts';
import { serveHocuspocus } from './hocuspocusServer.ts';
import { openPostgresSnapshotStore } from './postgresSnapshotStore.ts';
import { createStoredBeforeBroadcast } from './storedBeforeBroadcast.ts';

// Bench-only entry: the Hocuspocus column (hocuspocusServer.ts, the Database extension) storing into
// PostgreSQL (DATABASE_URL, a database of its own), with every update's broadcast held until a store
// containing it has committed (storedBeforeBroadcast.ts).
const { ticketSecret, databaseUrl } = readChildConfig();
if (!databaseUrl) throw new Error('DATABASE_URL must be set for hocuspocus-postgres');
const store = await openPostgresSnapshotStore(databaseUrl);
const durability = createStoredBeforeBroadcast();

await serveHocuspocus({
  ticketSecret,
  extensions: [
    new Database({
      fetch: async ({ documentName }) => store.fetch(documentName),
      store: ({ document, documentName, state }) => durability.storing(document, () => store.upsert(documentName, state)),
    }),
    durability.extension,
  ],
  close: () => store.close(),
});
