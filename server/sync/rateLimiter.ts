/** How much of something (messages, bytes, milliseconds) may be spent per second, and at once after a quiet spell. */
export interface Rate {
  perSecond: number;
  burst: number;
}

export function checkRate(rate: Rate): void {
  if (!(rate.perSecond > 0) || !(rate.burst >= 1)) throw new Error('a rate must allow at least one unit');
}

/**
 * A token bucket: `take(cost)` is false once the spender has used its burst faster than the refill rate.
 * Refuses outright; used per connection, where going over closes the connection. A class, not a closure,
 * because every connection has one or two: a few numbers and a shared prototype cost less than closures.
 */
export class TokenBucket {
  readonly #rate: Rate;
  #tokens: number;
  #refilledAt: number;

  constructor(rate: Rate, now: number = performance.now()) {
    checkRate(rate);
    this.#rate = rate;
    this.#tokens = rate.burst;
    this.#refilledAt = now;
  }

  take(cost = 1, now: number = performance.now()): boolean {
    const { burst, perSecond } = this.#rate;
    this.#tokens = Math.min(burst, this.#tokens + ((now - this.#refilledAt) / 1000) * perSecond);
    this.#refilledAt = now;
    if (this.#tokens < cost) return false;
    this.#tokens -= cost;
    return true;
  }
}

/**
 * A bucket that may go into debt: whatever was spent is charged afterwards (a message's main-loop time is
 * known only once it ran), and `waitMs()` says how long the spender must pause until the debt is paid.
 * Used per document, where going over throttles rather than refuses.
 */
export class DebtBucket {
  readonly #rate: Rate;
  #tokens: number;
  #refilledAt: number;

  constructor(rate: Rate, now: number = performance.now()) {
    checkRate(rate);
    this.#rate = rate;
    this.#tokens = rate.burst;
    this.#refilledAt = now;
  }

  charge(cost: number, now: number = performance.now()): void {
    this.#refill(now);
    this.#tokens -= cost;
  }

  /** 0 while something is left; otherwise the time until the bucket is back above zero. */
  waitMs(now: number = performance.now()): number {
    this.#refill(now);
    return this.#tokens > 0 ? 0 : Math.ceil(((1 - this.#tokens) / this.#rate.perSecond) * 1000);
  }

  #refill(now: number): void {
    const { burst, perSecond } = this.#rate;
    this.#tokens = Math.min(burst, this.#tokens + ((now - this.#refilledAt) / 1000) * perSecond);
    this.#refilledAt = now;
  }
}
