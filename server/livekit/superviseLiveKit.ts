import { errorFields, type Logger } from '../log.ts';
import type { EmbeddedLiveKit } from './embeddedServer.ts';
import type { MediaStateHolder } from './mediaState.ts';

/** `retrying`: LiveKit is on its way back, so clients keep asking; otherwise they say why there is no video. */
const unavailable = (reason: string, retrying: boolean) => ({ status: 'unavailable', reason, retrying }) as const;

/** Waits before each restart of a LiveKit that stopped by itself; the last one repeats. */
const RESTART_DELAYS_MS = [500, 1_000, 2_000, 5_000, 10_000, 30_000];
/** A LiveKit that ran this long before it stopped starts again from the shortest wait. */
const STABLE_AFTER_MS = 60_000;

export interface Supervised {
  start: () => Promise<EmbeddedLiveKit>;
  holder: MediaStateHolder;
  logger: Logger;
  tokenTtlSeconds?: number | undefined;
  /** Where browsers connect for signalling when not LiveKit itself (public mode: our own origin, proxied). */
  clientUrl?: string | undefined;
  /** LiveKit reachable from this machine only: browsers must not add public STUN servers. */
  localOnly?: boolean;
  /** For tests: how long to wait before the restart after `failures` consecutive failed or short runs. */
  restartDelay?: (failures: number) => number;
}

/**
 * Keeps the embedded LiveKit running: one that stops by itself (a crash, the OOM killer) is started again,
 * with the same kept keys, after a wait that grows while it keeps failing. Meanwhile joins are told video
 * is restarting, and clients, whose connection dropped, keep asking until it is back (see the client's
 * createLiveKitSession.ts). Resolves once the first start has succeeded or failed.
 */
export async function superviseEmbedded({ start, holder, logger, tokenTtlSeconds, clientUrl, localOnly = true, restartDelay = defaultRestartDelay }: Supervised): Promise<() => Promise<void>> {
  let current: EmbeddedLiveKit | undefined;
  let stopping = false;
  let failures = 0;
  let pending: ReturnType<typeof setTimeout> | undefined;

  const run = async (): Promise<void> => {
    pending = undefined;
    let embedded: EmbeddedLiveKit;
    try {
      embedded = await start();
    } catch (error) {
      logger.error('livekit_start_failed', errorFields(error));
      // Tried again later, but nobody is kept waiting for it: people joining meanwhile are told plainly.
      holder.set(unavailable('Video is not available: the video server did not start. You can still use the shared notes.', false));
      return scheduleRestart();
    }
    if (stopping) return void (await embedded.stop());
    current = embedded;
    const startedAt = performance.now();
    holder.set({ status: 'available', url: clientUrl ?? embedded.url, serverUrl: embedded.url, apiKey: embedded.apiKey, apiSecret: embedded.apiSecret, localOnly, tokenTtlSeconds });
    void embedded.exited.then(({ code, signal }) => {
      current = undefined;
      if (stopping) return;
      logger.error('livekit_exited', { code: code ?? undefined, signal: signal ?? undefined });
      holder.set(unavailable('Video is restarting. It comes back by itself in a moment; the shared notes still work.', true));
      if (performance.now() - startedAt >= STABLE_AFTER_MS) failures = 0;
      scheduleRestart();
    });
  };
  const scheduleRestart = (): void => {
    if (stopping) return;
    const wait = restartDelay(failures);
    failures += 1;
    pending = setTimeout(() => void run(), wait);
  };

  await run();
  return async () => {
    stopping = true;
    if (pending !== undefined) clearTimeout(pending);
    await current?.stop();
  };
}

function defaultRestartDelay(failures: number): number {
  return RESTART_DELAYS_MS[Math.min(failures, RESTART_DELAYS_MS.length - 1)] ?? 30_000;
}
