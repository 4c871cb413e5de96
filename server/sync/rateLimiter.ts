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

export function checkRateLimit(limit: RateLimit): void {
  if (!(limit.messagesPerSecond > 0) || !(limit.burst >= 1)) throw new Error('rate limit must allow at least one message');
}

/**
 * A token bucket: `take()` is false once the connection has spent its burst faster than the refill rate.
 * A class, not a closure, because every connection has one: two numbers and a shared prototype cost less
 * than a closure, its context and the object holding it.
 */
export class TokenBucket {
  readonly #limit: RateLimit;
  #tokens: number;
  #refilledAt: number;

  constructor(limit: RateLimit, now: number = performance.now()) {
    checkRateLimit(limit);
    this.#limit = limit;
    this.#tokens = limit.burst;
    this.#refilledAt = now;
  }

  take(now: number = performance.now()): boolean {
    const { burst, messagesPerSecond } = this.#limit;
    this.#tokens = Math.min(burst, this.#tokens + ((now - this.#refilledAt) / 1000) * messagesPerSecond);
    this.#refilledAt = now;
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }
}
