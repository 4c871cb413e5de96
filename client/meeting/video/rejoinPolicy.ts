import { DisconnectReason } from 'livekit-client';
import type { ReconnectPolicy } from 'livekit-client';

/**
 * Why a room went away, sorted into "leave it" (the person left, the meeting was ended, the person was taken
 * out, or they joined again elsewhere: rejoining there would push that other screen out, and back) and
 * "join again" (everything else: a lost network, LiveKit or the server restarting, a refused token).
 */
const FINAL_REASONS: ReadonlySet<DisconnectReason> = new Set([
  DisconnectReason.CLIENT_INITIATED,
  DisconnectReason.ROOM_DELETED,
  DisconnectReason.PARTICIPANT_REMOVED,
  DisconnectReason.DUPLICATE_IDENTITY,
]);

export function shouldRejoin(reason: DisconnectReason | undefined): boolean {
  return reason === undefined || !FINAL_REASONS.has(reason);
}

/** Waits between attempts to join again; the last one repeats for as long as it takes. */
const REJOIN_DELAYS_MS = [300, 1_000, 2_000, 3_000, 5_000];

/**
 * How long to wait before attempt `attempt` (from 0) to join again, spread by ±20 % so that a whole
 * meeting dropped at once by a restart does not come back in the same instant.
 */
export function rejoinDelayMs(attempt: number, random: () => number = Math.random): number {
  const base = REJOIN_DELAYS_MS[Math.min(attempt, REJOIN_DELAYS_MS.length - 1)] ?? 5_000;
  return Math.round(base * (0.8 + 0.4 * random()));
}

/** LiveKit's own retries (resuming with the token it holds), before the session joins again with a new one. */
const LIVEKIT_RETRY_DELAYS_MS = [0, 500, 1_500];

/**
 * LiveKit by itself retries for about 45 s with the token it holds. That token is refused when the room
 * is gone (LiveKit restarted: rooms are made only by our server; it answers "requested room does not
 * exist" to every retry) and once it expired; and a resume seconds in rarely succeeds where the first did
 * not. So LiveKit tries for about 2 s, then hands over to the session, which asks our server for a fresh
 * token (and a room) and joins anew.
 */
export const briefReconnectPolicy: ReconnectPolicy = {
  nextRetryDelayInMs: ({ retryCount }) => LIVEKIT_RETRY_DELAYS_MS[retryCount] ?? null,
};
