import { DisconnectReason } from 'livekit-client';
import { describe, expect, it } from 'vitest';
import { briefReconnectPolicy, rejoinDelayMs, shouldRejoin } from './rejoinPolicy.ts';

describe('joining video again after the room went away', () => {
  it('joins again after a lost connection or a restart, never after leaving, the end, a removal or a second tab', () => {
    for (const reason of [undefined, DisconnectReason.UNKNOWN_REASON, DisconnectReason.SERVER_SHUTDOWN, DisconnectReason.SIGNAL_CLOSE, DisconnectReason.JOIN_FAILURE, DisconnectReason.ROOM_CLOSED, DisconnectReason.STATE_MISMATCH, DisconnectReason.CONNECTION_TIMEOUT]) {
      expect(shouldRejoin(reason), String(reason)).toBe(true);
    }
    for (const reason of [DisconnectReason.CLIENT_INITIATED, DisconnectReason.ROOM_DELETED, DisconnectReason.PARTICIPANT_REMOVED, DisconnectReason.DUPLICATE_IDENTITY]) {
      expect(shouldRejoin(reason), String(reason)).toBe(false);
    }
  });

  it('waits a little longer after each failed attempt, up to 5 s ± 20 %, however long it takes', () => {
    const middle = () => 0.5;
    expect([0, 1, 2, 3, 4, 5, 100].map((n) => rejoinDelayMs(n, middle))).toEqual([300, 1000, 2000, 3000, 5000, 5000, 5000]);
    expect(rejoinDelayMs(100, () => 0)).toBe(4000);
    expect(rejoinDelayMs(100, () => 1)).toBe(6000);
  });

  it('lets LiveKit retry with the token it holds for about 2 s only', () => {
    const delays = [0, 1, 2, 3].map((retryCount) => briefReconnectPolicy.nextRetryDelayInMs({ retryCount, elapsedMs: 0 }));
    expect(delays).toEqual([0, 500, 1500, null]);
  });
});
