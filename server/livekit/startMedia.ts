import { join } from 'node:path';
import type { LiveKitConfig } from '../config.ts';
import { errorFields, type Logger } from '../log.ts';
import { startEmbeddedLiveKit, type EmbeddedLiveKit } from './embeddedServer.ts';
import { findLiveKitBinary } from './findBinary.ts';
import { createMediaStateHolder, type MediaStateHolder } from './mediaState.ts';

export interface StartedMedia {
  holder: MediaStateHolder;
  stop(): Promise<void>;
}

/**
 * Brings video up as configured. Never throws: if no LiveKit server can be had, the app still runs the
 * shared space and every join is told plainly why there is no video.
 */
export async function startMedia(config: LiveKitConfig, dataDir: string, logger: Logger): Promise<StartedMedia> {
  if (config.mode === 'disabled') return staticMedia(createMediaStateHolder({ status: 'unavailable', reason: config.reason }));
  if (config.mode === 'external') {
    const { url, apiKey, apiSecret } = config;
    return staticMedia(createMediaStateHolder({ status: 'available', url, apiKey, apiSecret, localOnly: false }));
  }
  const binary = findLiveKitBinary(process.env);
  if (!binary) {
    logger.warn('livekit_binary_missing');
    return staticMedia(
      createMediaStateHolder({
        status: 'unavailable',
        reason: 'Video is not available: the video server is not installed here (run "npm run livekit:ensure"). You can still use the shared notes.',
      }),
    );
  }
  let embedded: EmbeddedLiveKit;
  try {
    embedded = await startEmbeddedLiveKit({ binary, dataDir: join(dataDir, 'livekit'), ...config, logger });
  } catch (error) {
    logger.error('livekit_start_failed', errorFields(error));
    return staticMedia(
      createMediaStateHolder({ status: 'unavailable', reason: 'Video is not available: the video server did not start. You can still use the shared notes.' }),
    );
  }
  const holder = createMediaStateHolder({
    status: 'available',
    url: embedded.url,
    apiKey: embedded.apiKey,
    apiSecret: embedded.apiSecret,
    localOnly: true,
  });
  let stopping = false;
  void embedded.exited.then(({ code, signal }) => {
    if (stopping) return;
    logger.error('livekit_exited', { code: code ?? undefined, signal: signal ?? undefined });
    holder.set({ status: 'unavailable', reason: 'Video is not available: the video server stopped. You can still use the shared notes.' });
  });
  return {
    holder,
    stop: () => {
      stopping = true;
      return embedded.stop();
    },
  };
}

function staticMedia(holder: MediaStateHolder): StartedMedia {
  return { holder, stop: async () => {} };
}
