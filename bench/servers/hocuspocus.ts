import { Database } from '@hocuspocus/extension-database';
import { Server } from '@hocuspocus/server';
import { createTicketSigner } from '../../server/sync/tickets.ts';
import { announceReady, readChildConfig, handleParentRequests } from './childProcess.ts';
import { openSnapshotStore } from './snapshotStore.ts';

// Bench-only entry: @hocuspocus/server 4.7.0 with the Database extension over the SQLite extension's own
// schema (see snapshotStore.ts). `debounce: 0` stores the whole document on every change instead of 2 s
// later, the nearest Hocuspocus comes to "every update durable". node:sqlite is synchronous, so the store
// hook commits in the microtasks right after the update is applied, before Hocuspocus's fan-out at
// setImmediate (observed by bench/sync/durabilityCheck.ts). Tickets are checked in onAuthenticate, like Polyphony checks them.
const { dataDir, ticketSecret } = readChildConfig();
const store = openSnapshotStore(dataDir);
const signer = createTicketSigner(ticketSecret);

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
      store: async ({ documentName, state }) => store.upsert(documentName, state),
    }),
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
  store.close();
});
