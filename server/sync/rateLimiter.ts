/** Messages per second a connection may sustain, and how many it may send at once after being quiet. */
export interface RateLimit {
  messagesPerSecond: number;
  burst: number;
}

/**
 * Generous for people: typing and cursor moves are a few dozen messages a second at most, and a client
 * reconnecting after being offline sends a handful of large messages, not many small ones.
 */
export const DEFAULT_RATE_LIMIT: RateLimit = { messagesPerSecond: 200, burst: 400 };

/** A token bucket: `take()` is false once the connection has spent its burst faster than the refill rate. */
export interface TokenBucket {
  take(): boolean;
}

export function createTokenBucket(limit: RateLimit, now: () => number = () => performance.now()): TokenBucket {
  if (!(limit.messagesPerSecond > 0) || !(limit.burst >= 1)) throw new Error('rate limit must allow at least one message');
  let tokens = limit.burst;
  let last = now();
  return {
    take() {
      const current = now();
      tokens = Math.min(limit.burst, tokens + ((current - last) / 1000) * limit.messagesPerSecond);
      last = current;
      if (tokens < 1) return false;
      tokens -= 1;
      return true;
    },
  };
}
