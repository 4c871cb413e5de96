import type { ConnectionRate } from '../../shared/protocol/syncLimits.ts';
import { TokenBucket } from './rateLimiter.ts';

/** The message and byte buckets one person's connections draw from. */
export interface RateBuckets {
  readonly messages: TokenBucket;
  readonly bytes: TokenBucket;
}

interface Entry extends RateBuckets {
  users: number;
  releasedAt: number;
}

/**
 * Rate buckets per ticket subject (one person), shared by all their connections and kept a while after
 * the last one closed: a connection closed for sending too much cannot come back with a full bucket, nor
 * can ten connections send ten times as much. A tab holds two connections (the meeting's document and the
 * network's); the limits are generous enough for both.
 */
export class SubjectRates {
  readonly #rate: ConnectionRate;
  readonly #entries = new Map<string, Entry>();

  constructor(rate: ConnectionRate) {
    this.#rate = rate;
  }

  acquire(subject: string): RateBuckets {
    let entry = this.#entries.get(subject);
    if (!entry) {
      const rate = this.#rate;
      entry = {
        messages: new TokenBucket({ perSecond: rate.messagesPerSecond, burst: rate.burstMessages }),
        bytes: new TokenBucket({ perSecond: rate.bytesPerSecond, burst: rate.burstBytes }),
        users: 0,
        releasedAt: 0,
      };
      this.#entries.set(subject, entry);
    }
    entry.users++;
    return entry;
  }

  release(subject: string, now: number = performance.now()): void {
    const entry = this.#entries.get(subject);
    if (!entry) return;
    entry.users--;
    entry.releasedAt = now;
  }

  /** Forgets people gone long enough for their buckets to be full again (called from the heartbeat). */
  sweep(now: number = performance.now()): void {
    const refillMs = 1000 * Math.max(this.#rate.burstBytes / this.#rate.bytesPerSecond, this.#rate.burstMessages / this.#rate.messagesPerSecond);
    for (const [subject, entry] of this.#entries) {
      if (entry.users <= 0 && now - entry.releasedAt > refillMs) this.#entries.delete(subject);
    }
  }

  get size(): number {
    return this.#entries.size;
  }
}
