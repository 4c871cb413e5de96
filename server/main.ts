import { serve } from '@hono/node-server';
import type { Server } from 'node:http';
import { createApp } from './app.ts';
import { readConfig } from './config.ts';
import { createLogger, errorFields } from './log.ts';
import { startMedia } from './livekit/startMedia.ts';
import { loadOrCreateServerSecret } from './secret.ts';
import { createMeetingService } from './services/meetings.ts';
import { openDatabase } from './store/database.ts';
import { createSqliteDocStore } from './store/docStore.ts';
import { createSqliteMeetingStore } from './store/meetingStore.ts';
import { createSyncServer } from './sync/syncServer.ts';
import { createTicketSigner } from './sync/tickets.ts';
import { existsSync } from 'node:fs';

// The only module with start-up effects: read config, open stores, start LiveKit, listen.
const logger = createLogger({ service: 'polyphony' });
const config = readConfig(process.env);
const db = openDatabase(config.dataDir);
const signer = createTicketSigner(loadOrCreateServerSecret(config.dataDir));
const media = await startMedia(config.livekit, config.dataDir, logger);
const sync = createSyncServer({
  docStore: createSqliteDocStore(db),
  verifyTicket: (ticket) => signer.verify(ticket),
  logger: logger.child({ component: 'sync' }),
  ...(config.maxMessageBytes === undefined ? {} : { maxMessageBytes: config.maxMessageBytes }),
});
const meetings = createMeetingService({
  meetings: createSqliteMeetingStore(db),
  media: media.holder,
  signTicket: (claims) => signer.sign(claims),
  now: () => new Date(),
});
const app = createApp({
  logger,
  meetings,
  clientDir: existsSync(config.clientDir) ? config.clientDir : undefined,
  connectOrigins: () => {
    const state = media.holder.get();
    return state.status === 'available' ? [state.url] : [];
  },
});

const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, (info) => {
  logger.info('listening', { url: `http://${config.host}:${info.port}`, port: info.port, media: media.holder.get().status });
}) as Server;
server.on('upgrade', (req, socket, head) => {
  if (!sync.handleUpgrade(req, socket, head)) socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
});

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  logger.info('shutting_down', { signal });
  try {
    server.close();
    await sync.close();
    await media.stop();
    db.close();
  } catch (error) {
    logger.error('shutdown_failed', errorFields(error));
    process.exitCode = 1;
  }
  process.exit();
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
