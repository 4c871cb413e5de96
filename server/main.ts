import { serve } from '@hono/node-server';
import { existsSync } from 'node:fs';
import { createServer as createHttpsServer } from 'node:https';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from './app.ts';
import { createLeasedOwnership } from './cluster/leasedOwnership.ts';
import { readStartConfig, storeConfigOf, type StartConfig } from './config.ts';
import { createLiveRooms } from './livekit/liveRooms.ts';
import { createSignalProxy } from './livekit/signalProxy.ts';
import { listenForWebhooks } from './livekit/webhookListener.ts';
import { createMediaStateHolder } from './livekit/mediaState.ts';
import { startMedia } from './livekit/startMedia.ts';
import { createLogger, errorFields } from './log.ts';
import { createServerMetrics, metricsRoutes } from './metrics/serverMetrics.ts';
import { loadOrCreateServerSecret } from './secret.ts';
import { createNotesHistoryRecorder } from './record/notesHistoryRecorder.ts';
import { createServices } from './services/createServices.ts';
import { sealPendingRecords } from './services/records.ts';
import { createSyncAuthorizer } from './services/syncAccess.ts';
import { createAccess } from './services/access.ts';
import { NewerSchemaError } from './store/database.ts';
import { openStores, type OpenedStores } from './store/openStores.ts';
import { PostgresUnreachableError } from './store/postgres/database.ts';
import { PRIVATE_UMASK } from './store/privateDataDir.ts';
import { createSyncServer } from './sync/syncServer.ts';
import { createTicketSigner } from './sync/tickets.ts';
import { createAccessEnforcer } from './events/enforceAccess.ts';
import { watchInviteExpiry } from './events/inviteExpiry.ts';
import { accessEventsFor } from './events/accessEventsFor.ts';
import { accessEventMetricFamilies, createAccessEventCounters } from './events/eventCounters.ts';
import { newRandomId } from './ids.ts';
import { checkRedisReachable, RedisUnreachableError } from './cluster/redisConnection.ts';

// The only module with start-up effects: read config, open stores, listen, start LiveKit.
process.umask(PRIVATE_UMASK); // every file this process creates (SQLite's -wal and -shm too) is owner-only
const logger = createLogger({ service: 'polyphony' });
const config = readConfigOrRefuse(process.env);
await checkRedisOrRefuse(config);
const opened = await openOrRefuse(config);
const { stores } = opened;
const serverSecret = loadOrCreateServerSecret(config.dataDir);
const signer = createTicketSigner(serverSecret);
const media = createMediaStateHolder({ status: 'unavailable', reason: 'Video is starting. Please try again in a moment.', retrying: true });
const rooms = createLiveRooms(media, logger);

// Access events (server/events): changes made here are delivered at once; those made by another process
// sharing the store (another instance, the ops CLI) arrive through its outbox: pushed by PostgreSQL's
// NOTIFY, or within a fifth of a second on SQLite.
// One name for this process among the instances sharing the store: its events' origin and its leases' holder.
const instanceId = `instance-${newRandomId()}`;
const eventCounters = createAccessEventCounters();
const events = accessEventsFor({ config: storeConfigOf(config), opened, origin: instanceId, logger, counters: eventCounters });

// The access rules need only the stores, so the sync server can check them from its first connection.
const authorizeSync = createSyncAuthorizer(stores, createAccess(stores));
// Metrics (server/metrics): the sync server's store is timed and counted, its sockets' bytes are counted.
const metrics = createServerMetrics({ families: () => accessEventMetricFamilies(eventCounters) });
// Several instances on one PostgreSQL: each serves the documents it holds a lease on (server/cluster).
const leases = opened.documentLeases?.(instanceId);
const sync = createSyncServer({
  ...(leases ? { ownership: createLeasedOwnership({ leases, logger: logger.child({ component: 'sync', instance: instanceId }) }) } : {}),
  docStore: metrics.instrumentDocStore(stores.docs),
  verifyTicket: (ticket) => signer.verify(ticket),
  authorize: authorizeSync,
  logger: logger.child({ component: 'sync' }),
  observe: createNotesHistoryRecorder({ store: stores.notesVersions, logger: logger.child({ component: 'notes_history' }) }),
  ...(config.maxMessageBytes === undefined ? {} : { maxMessageBytes: config.maxMessageBytes }),
});

const services = createServices({
  stores,
  serverSecret,
  media,
  rooms,
  signTicket: (claims) => signer.sign(claims),
  events,
  logger,
});
// Before the first connection: records of meetings ended without being frozen are frozen now.
const recordsSealed = await sealPendingRecords(stores, new Date());
if (recordsSealed > 0) logger.info('records_sealed_at_start', { count: recordsSealed });
// Losing access ends everything: sockets are re-checked, and the person leaves the video room.
events.subscribe(createAccessEnforcer({ sync, rooms, gate: services.mediaGate, keys: services.mediaKeys }));
await events.start();
const app = createApp({
  logger,
  services,
  stores,
  media,
  publicUrl: config.publicUrl,
  trustedProxies: config.trustedProxies,
  checkHealth: () => opened.checkHealth(),
  instance: instanceId,
  clientDir: existsSync(config.clientDir) ? config.clientDir : undefined,
  extra: (root) => root.route('/metrics', metricsRoutes(metrics, () => sync.stats(), config.metricsToken)), // metrics
});

// TLS_CERT_FILE/TLS_KEY_FILE: this server ends TLS itself (https and wss on the one port); else plain http.
const tls = config.tls ? { createServer: createHttpsServer, serverOptions: config.tls } : {};
const signalProxy = createSignalProxy(media, logger.child({ component: 'rtc_proxy' }));
const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host, ...tls }) as Server;
server.on('upgrade', (req, socket, head) => {
  metrics.trackSocket(socket); // metrics
  if (sync.handleUpgrade(req, socket, head) || signalProxy.handleUpgrade(req, socket, head)) return;
  socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
});
await new Promise<void>((ready) => server.once('listening', () => ready()));
const port = (server.address() as AddressInfo).port;

// LiveKit starts once we know our own port, so that its webhooks can reach us.
const webhooks = config.tls ? await listenForWebhooks(app.fetch) : undefined;
const stopMedia = await startMedia({
  config: config.livekit,
  dataDir: config.dataDir,
  publicUrl: config.publicUrl,
  webhookUrl: webhooks?.url ?? `http://127.0.0.1:${port}/api/livekit/webhook`,
  redis: config.redis,
  holder: media,
  logger,
});
const stopExpiryWatch = watchInviteExpiry({ invites: stores.invites, deliver: (event) => events.deliverLocal(event), logger });

const setupToken = await services.auth.issueSetupToken();
const scheme = config.tls ? 'https' : 'http';
const origin = config.publicUrl ?? `${scheme}://localhost:${port}`;
if (setupToken) process.stdout.write(`\nFirst run: create the first administrator at ${origin}/setup#${setupToken}\n\n`);
logger.info('listening', { url: `${scheme}://${config.host}:${port}`, port, media: media.get().status, store: opened.engine, instance: instanceId });

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  logger.info('shutting_down', { signal });
  try {
    stopExpiryWatch();
    await events.stop();
    server.close();
    webhooks?.server.close();
    await sync.close();
    await opened.close();
    await stopMedia();
  } catch (error) {
    logger.error('shutdown_failed', errorFields(error));
    process.exitCode = 1;
  }
  process.exit();
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));

/** A configuration that does not hold (bad TLS files, PUBLIC_URL without a scheme…) is one clear line and exit 1. */
function readConfigOrRefuse(env: NodeJS.ProcessEnv): StartConfig {
  try {
    return readStartConfig(env);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    logger.error('config_invalid', { message });
    process.stderr.write(`${message}\n`);
    process.exit(1);
  }
}

/**
 * REDIS_URL names what the instances share (and LiveKit's nodes): a cluster member that cannot reach it would
 * serve meetings the others cannot see into, so it does not start. One clear line and exit 1.
 */
async function checkRedisOrRefuse(startConfig: StartConfig): Promise<void> {
  if (!startConfig.redis) return;
  try {
    await checkRedisReachable(startConfig.redis);
  } catch (error) {
    if (!(error instanceof RedisUnreachableError)) throw error;
    logger.error('redis_unreachable', { message: error.message });
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
}

/**
 * A database from a newer release is refused with one clear line and exit 1, and left untouched; so is a
 * PostgreSQL server that cannot be reached (nothing is served without the store).
 */
async function openOrRefuse(startConfig: StartConfig): Promise<OpenedStores> {
  try {
    return await openStores(storeConfigOf(startConfig));
  } catch (error) {
    if (error instanceof NewerSchemaError) {
      logger.error('data_dir_from_newer_release', { message: error.message, unknownVersions: error.unknownVersions.join(',') });
    } else if (error instanceof PostgresUnreachableError) {
      logger.error('database_unreachable', { message: error.message });
    } else throw error;
    // Also without the structured log (LOG_LEVEL=silent): the operator must see why the server did not start.
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
}
