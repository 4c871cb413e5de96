import { Database } from '@hocuspocus/extension-database';
import { Redis } from '@hocuspocus/extension-redis';
import { Server } from '@hocuspocus/server';
import { createTicketSigner } from '../../server/sync/tickets.ts';
import { announceReady, readChildConfig, handleParentRequests } from './childProcess.ts';
import { openPostgresSnapshotStore } from './postgresSnapshotStore.ts';

// Bench-only entry (bench/cluster): one of several Hocuspocus instances sharing one PostgreSQL and one
// Redis, as Hocuspocus scales out: @hocuspocus/server with @hocuspocus/extension-redis (REDIS_URL) and the
// Database extension over hocuspocusPostgres.ts' table, `debounce: 0`, tickets in onAuthenticate.
//
// Unlike hocuspocusPostgres.ts, broadcasts are not held until the store has committed
// (storedBeforeBroadcast.ts): with the Redis extension an instance's store is skipped while another
// instance holds the document's Redis lock, and updates arriving from Redis are never stored by the
// instance that receives them, so a held broadcast could wait for a store that never comes. This column
// therefore sends updates before they are durable, which only flatters its latency.
const { ticketSecret, databaseUrl } = readChildConfig();
if (!databaseUrl) throw new Error('DATABASE_URL must be set for hocuspocus-redis');
const redisUrl = process.env['REDIS_URL'];
if (!redisUrl) throw new Error('REDIS_URL must be set for hocuspocus-redis');
const redis = new URL(redisUrl);
const store = await openPostgresSnapshotStore(databaseUrl);
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
    new Redis({
      host: redis.hostname,
      port: Number(redis.port),
      options: { username: decodeURIComponent(redis.username) || 'default', password: decodeURIComponent(redis.password) },
    }),
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
  await store.close();
});
