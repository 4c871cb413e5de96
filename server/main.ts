import { serve } from '@hono/node-server';
import { existsSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { meetingDocName, networkDocName, roomNameFor } from '../shared/media/rooms.ts';
import { SYNC_CLOSE, SYNC_CLOSE_REASON } from '../shared/protocol/sync.ts';
import { createApp } from './app.ts';
import { readConfig } from './config.ts';
import { createLiveRooms } from './livekit/liveRooms.ts';
import { createMediaStateHolder } from './livekit/mediaState.ts';
import { startMedia } from './livekit/startMedia.ts';
import { createLogger, errorFields } from './log.ts';
import { createServerMetrics, metricsRoutes } from './metrics/serverMetrics.ts';
import { loadOrCreateServerSecret } from './secret.ts';
import { createServices } from './services/createServices.ts';
import { createSyncAuthorizer } from './services/syncAccess.ts';
import { createAccess } from './services/access.ts';
import { openDatabase } from './store/database.ts';
import { PRIVATE_UMASK } from './store/privateDataDir.ts';
import type { InviteRecord } from './store/inviteStore.ts';
import { createSqliteStores } from './store/stores.ts';
import { openWorkerDocStore } from './store/workerDocStore.ts';
import { createSyncServer } from './sync/syncServer.ts';
import { createTicketSigner } from './sync/tickets.ts';
import { watchRevocations } from './services/watchRevocations.ts';
import { watchEndedMeetings } from './services/watchEndedMeetings.ts';

// The only module with start-up effects: read config, open stores, listen, start LiveKit.
process.umask(PRIVATE_UMASK); // every file this process creates (SQLite's -wal and -shm too) is owner-only
const logger = createLogger({ service: 'polyphony' });
const config = readConfig(process.env);
const db = openDatabase(config.dataDir);
// Documents are written on their own thread, so no fsync ever stalls the meetings' event loop.
const docStore = openWorkerDocStore(config.dataDir);
const stores = { ...createSqliteStores(db), docs: docStore };
const serverSecret = loadOrCreateServerSecret(config.dataDir);
const signer = createTicketSigner(serverSecret);
const media = createMediaStateHolder({ status: 'unavailable', reason: 'Video is starting. Please try again in a moment.' });
const rooms = createLiveRooms(media, logger);

// The access rules need only the stores, so the sync server can check them from its first connection.
const authorizeSync = createSyncAuthorizer(stores, createAccess(stores));
// Metrics (server/metrics): the sync server's store is timed and counted, its sockets' bytes are counted.
const metrics = createServerMetrics();
const sync = createSyncServer({
  docStore: metrics.instrumentDocStore(stores.docs),
  verifyTicket: (ticket) => signer.verify(ticket),
  authorize: authorizeSync,
  logger: logger.child({ component: 'sync' }),
  ...(config.maxMessageBytes === undefined ? {} : { maxMessageBytes: config.maxMessageBytes }),
});

/** A revoked invite loses its open sockets at once, and its holder leaves any live call of the network. */
async function onInviteRevoked(invite: InviteRecord): Promise<void> {
  sync.closeSubjectConnections(`invite:${invite.id}`, SYNC_CLOSE.forbidden, SYNC_CLOSE_REASON.accessRevoked);
  for (const meeting of await stores.meetings.listForNetwork(invite.networkId)) {
    // Not only live meetings: a member may wait in a room the team has not opened yet (joinWindow.ts).
    if (meeting.status !== 'ended') await rooms.removeParticipant(roomNameFor(meeting.id), `member-${invite.memberId}`);
  }
}

/** Sealing: an ended meeting's document takes no more writes; open sockets close and may reconnect read-only. */
async function onMeetingEnded(meetingId: string): Promise<void> {
  sync.closeDocumentConnections(meetingDocName(meetingId), SYNC_CLOSE.forbidden, SYNC_CLOSE_REASON.meetingEnded);
}

/** Before a network is erased, nobody may keep one of its documents open (and write it back). */
async function onNetworkErasing(networkId: string, meetingIds: string[]): Promise<void> {
  for (const docName of [networkDocName(networkId), ...meetingIds.map(meetingDocName)]) sync.closeDocumentConnections(docName, SYNC_CLOSE.forbidden, SYNC_CLOSE_REASON.networkDeleted);
}

const services = createServices({
  stores,
  serverSecret,
  media,
  rooms,
  signTicket: (claims) => signer.sign(claims),
  onInviteRevoked,
  onMeetingEnded,
  onNetworkErasing,
});
const app = createApp({
  logger,
  services,
  stores,
  media,
  publicUrl: config.publicUrl,
  checkHealth: () => void db.prepare('SELECT 1').get(),
  clientDir: existsSync(config.clientDir) ? config.clientDir : undefined,
  extra: (root) => root.route('/metrics', metricsRoutes(metrics, () => sync.stats(), config.metricsToken)), // metrics
});

const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host }) as Server;
server.on('upgrade', (req, socket, head) => {
  metrics.trackSocket(socket); // metrics
  if (!sync.handleUpgrade(req, socket, head)) socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
});
await new Promise<void>((ready) => server.once('listening', () => ready()));
const port = (server.address() as AddressInfo).port;

// LiveKit starts once we know our own port, so that its webhooks can reach us.
const stopMedia = await startMedia({
  config: config.livekit,
  dataDir: config.dataDir,
  webhookUrl: `http://127.0.0.1:${port}/api/livekit/webhook`,
  holder: media,
  logger,
});
const stopRevocationWatch = watchRevocations(stores.invites, onInviteRevoked, logger);
// Ended elsewhere (the ops CLI): seal here too, and close the video room, which the CLI cannot reach.
const stopEndedWatch = watchEndedMeetings(
  stores.records,
  async (meetingId) => {
    await onMeetingEnded(meetingId);
    await rooms.close(roomNameFor(meetingId));
  },
  logger,
);

const setupToken = await services.auth.issueSetupToken();
const origin = config.publicUrl ?? `http://localhost:${port}`;
if (setupToken) process.stdout.write(`\nFirst run: create the first administrator at ${origin}/setup#${setupToken}\n\n`);
logger.info('listening', { url: `http://${config.host}:${port}`, port, media: media.get().status });

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  logger.info('shutting_down', { signal });
  try {
    stopRevocationWatch();
    stopEndedWatch();
    server.close();
    await sync.close();
    await docStore.close();
    await stopMedia();
    db.close();
  } catch (error) {
    logger.error('shutdown_failed', errorFields(error));
    process.exitCode = 1;
  }
  process.exit();
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
