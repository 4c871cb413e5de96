import { join } from 'node:path';
import type { LiveKitConfig } from '../config.ts';
import type { RedisAddress } from '../cluster/redisUrl.ts';
import type { Logger } from '../log.ts';
import { startEmbeddedLiveKit } from './embeddedServer.ts';
import { findLiveKitBinary } from './findBinary.ts';
import type { MediaStateHolder } from './mediaState.ts';
import { publicSignalUrl } from './publicMedia.ts';
import { superviseEmbedded } from './superviseLiveKit.ts';

export interface StartMediaOptions {
  config: LiveKitConfig;
  dataDir: string;
  /** Polyphony's public origin: in public mode, browsers reach LiveKit's signalling through it. */
  publicUrl: string | undefined;
  /** Where the embedded server posts its webhooks, unless the config names another place. */
  webhookUrl: string;
  /** REDIS_URL: the embedded server runs as one node of LiveKit's distributed mode. */
  redis?: RedisAddress | undefined;
  /** Updated as video comes up, and again if the embedded server stops. */
  holder: MediaStateHolder;
  logger: Logger;
}

const unavailable = (reason: string) => ({ status: 'unavailable', reason }) as const;

/**
 * Brings video up as configured. Never throws: if no LiveKit server can be had, the app still runs the
 * shared space and every join is told plainly why there is no video. Resolves to a stop function.
 */
export async function startMedia({ config, dataDir, publicUrl, webhookUrl, redis, holder, logger }: StartMediaOptions): Promise<() => Promise<void>> {
  const noop = async () => {};
  if (config.mode === 'disabled') {
    holder.set(unavailable(config.reason));
    return noop;
  }
  if (config.mode === 'external') {
    holder.set({ status: 'available', url: config.url, serverUrl: config.url, apiKey: config.apiKey, apiSecret: config.apiSecret, localOnly: false, tokenTtlSeconds: config.tokenTtlSeconds });
    return noop;
  }
  const binary = findLiveKitBinary(process.env);
  if (!binary) {
    logger.warn('livekit_binary_missing');
    holder.set(unavailable('Video is not available: the video server is not installed here (run "npm run livekit:ensure"). You can still use the shared notes.'));
    return noop;
  }
  const { port, rtcUdpPort, tokenTtlSeconds } = config;
  // In public mode browsers reach signalling through our own origin (/rtc is proxied to LiveKit).
  const clientUrl = config.public && publicUrl ? publicSignalUrl(publicUrl) : undefined;
  return superviseEmbedded({
    start: () =>
      startEmbeddedLiveKit({ binary, dataDir: join(dataDir, 'livekit'), port, rtcUdpPort, public: config.public, webhookUrl: config.webhookUrl ?? webhookUrl, keys: config.keys, redis, logger }),
    clientUrl,
    localOnly: !config.public,
    holder,
    logger,
    tokenTtlSeconds,
  });
}
