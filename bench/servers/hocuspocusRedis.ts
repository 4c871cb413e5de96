import { Database } from '@hocuspocus/extension-database';
import { Redis } from '@hocuspocus/extension-redis';
import { readChildConfig } from './childProcess.ts';
import { serveHocuspocus } from './hocuspocusServer.ts';
import { openPostgresSnapshotStore } from './postgresSnapshotStore.ts';

// Bench-only entry (bench/cluster): one of several Hocuspocus instances sharing one PostgreSQL and one
// Redis, as Hocuspocus scales out: @hocuspocus/server with @hocuspocus/extension-redis (REDIS_URL) and the
// Database extension over hocuspocusPostgres.ts' table (hocuspocusServer.ts).
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

await serveHocuspocus({
  ticketSecret,
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
  close: () => store.close(),
});
