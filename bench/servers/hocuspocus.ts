import { Database } from '@hocuspocus/extension-database';
import { readChildConfig } from './childProcess.ts';
import { serveHocuspocus } from './hocuspocusServer.ts';
import { openSnapshotStore } from './snapshotStore.ts';

// Bench-only entry: Hocuspocus (hocuspocusServer.ts) with the Database extension over the SQLite extension's
// own schema (see snapshotStore.ts). node:sqlite is synchronous, so the store hook commits in the microtasks
// right after the update is applied, before Hocuspocus's fan-out at setImmediate (observed by
// bench/sync/durabilityCheck.ts).
const { dataDir, ticketSecret } = readChildConfig();
const store = openSnapshotStore(dataDir);

await serveHocuspocus({
  ticketSecret,
  extensions: [
    new Database({
      fetch: async ({ documentName }) => store.fetch(documentName),
      store: async ({ documentName, state }) => store.upsert(documentName, state),
    }),
  ],
  close: () => store.close(),
});
