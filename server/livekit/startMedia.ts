import { join } from 'node:path';
import type { LiveKitConfig } from '../config.ts';
import { errorFields, type Logger } from '../log.ts';
import { startEmbeddedLiveKit, type EmbeddedLiveKit } from './embeddedServer.ts';
import { findLiveKitBinary } from './findBinary.ts';
import type { MediaStateHolder } from './mediaState.ts';
import { publicSignalUrl } from './publicMedia.ts';

export interface StartMediaOptions {
  config: LiveKitConfig;
  dataDir: string;
  /** Polyphony's public origin: in public mode, browsers reach LiveKit's signalling through it. */
  publicUrl: string | undefined;
  /** Where the embedded server posts its webhooks. */
  webhookUrl: string;
  /** Updated as video comes up, and again if the embedded server stops. */
  holder: MediaStateHolder;
  logger: Logger;
}

const unavailable = (reason: string) => ({ status: 'unavailable', reason }) as const;

/**
 * Brings video up as configured. Never throws: if no LiveKit server can be had, the app still runs the
 * shared space and every join is told plainly why there is no video. Resolves to a stop function.
 */
export async function startMedia({ config, dataDir, publicUrl, webhookUrl, holder, logger }: StartMediaOptions): Promise<() => Promise<void>> {
  const noop = async () => {};
  if (config.mode === 'disabled') {
    holder.set(unavailable(config.reason));
    return noop;
  }
  if (config.mode === 'external') {
    holder.set({ status: 'available', url: config.url, serverUrl: config.url, apiKey: config.apiKey, apiSecret: config.apiSecret, localOnly: false });
    return noop;
  }
  const binary = findLiveKitBinary(process.env);
  if (!binary) {
    logger.warn('livekit_binary_missing');
    holder.set(unavailable('Video is not available: the video server is not installed here (run "npm run livekit:ensure"). You can still use the shared notes.'));
    return noop;
  }
  let embedded: EmbeddedLiveKit;
  try {
    embedded = await startEmbeddedLiveKit({ binary, dataDir: join(dataDir, 'livekit'), ...config, webhookUrl, logger });
  } catch (error) {
    logger.error('livekit_start_failed', errorFields(error));
    holder.set(unavailable('Video is not available: the video server did not start. You can still use the shared notes.'));
    return noop;
  }
  // In public mode browsers reach signalling through our own origin (/rtc is proxied to LiveKit).
  const url = config.public && publicUrl ? publicSignalUrl(publicUrl) : embedded.url;
  holder.set({ status: 'available', url, serverUrl: embedded.url, apiKey: embedded.apiKey, apiSecret: embedded.apiSecret, localOnly: !config.public });
  let stopping = false;
  void embedded.exited.then(({ code, signal }) => {
    if (stopping) return;
    logger.error('livekit_exited', { code: code ?? undefined, signal: signal ?? undefined });
    holder.set(unavailable('Video is not available: the video server stopped. You can still use the shared notes.'));
  });
  return () => {
    stopping = true;
    return embedded.stop();
  };
}
