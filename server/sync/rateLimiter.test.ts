import { describe, expect, it } from 'vitest';
import { TokenBucket } from './rateLimiter.ts';

describe('token bucket', () => {
  it('allows a burst, then refills at the sustained rate', () => {
    const bucket = new TokenBucket({ messagesPerSecond: 10, burst: 3 }, 0);
    expect([bucket.take(0), bucket.take(0), bucket.take(0), bucket.take(0)]).toEqual([true, true, true, false]);
    expect(bucket.take(50)).toBe(false); // half a token
    expect(bucket.take(100)).toBe(true);
    expect(bucket.take(100)).toBe(false);
  });

  it('never holds more than the burst, however long it was quiet', () => {
    const bucket = new TokenBucket({ messagesPerSecond: 10, burst: 2 }, 0);
    expect([bucket.take(60_000), bucket.take(60_000), bucket.take(60_000)]).toEqual([true, true, false]);
  });

  it('refuses a limit that allows nothing', () => {
    expect(() => new TokenBucket({ messagesPerSecond: 0, burst: 5 })).toThrow();
    expect(() => new TokenBucket({ messagesPerSecond: 5, burst: 0.5 })).toThrow();
    expect(() => new TokenBucket({ messagesPerSecond: Number.NaN, burst: 5 })).toThrow();
  });
});
