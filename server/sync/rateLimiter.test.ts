import { describe, expect, it } from 'vitest';
import { DebtBucket, TokenBucket } from './rateLimiter.ts';

describe('token bucket', () => {
  it('allows a burst, then refills at the sustained rate', () => {
    const bucket = new TokenBucket({ perSecond: 10, burst: 3 }, 0);
    expect([bucket.take(1, 0), bucket.take(1, 0), bucket.take(1, 0), bucket.take(1, 0)]).toEqual([true, true, true, false]);
    expect(bucket.take(1, 50)).toBe(false); // half a token
    expect(bucket.take(1, 100)).toBe(true);
    expect(bucket.take(1, 100)).toBe(false);
  });

  it('charges by cost, so a byte budget refuses one large message after small ones', () => {
    const bucket = new TokenBucket({ perSecond: 1000, burst: 1000 }, 0);
    expect(bucket.take(600, 0)).toBe(true);
    expect(bucket.take(600, 0)).toBe(false);
    expect(bucket.take(600, 200)).toBe(true);
  });

  it('never holds more than the burst, however long it was quiet', () => {
    const bucket = new TokenBucket({ perSecond: 10, burst: 2 }, 0);
    expect([bucket.take(1, 60_000), bucket.take(1, 60_000), bucket.take(1, 60_000)]).toEqual([true, true, false]);
  });

  it('refuses a limit that allows nothing', () => {
    expect(() => new TokenBucket({ perSecond: 0, burst: 5 })).toThrow();
    expect(() => new TokenBucket({ perSecond: 5, burst: 0.5 })).toThrow();
    expect(() => new TokenBucket({ perSecond: Number.NaN, burst: 5 })).toThrow();
  });
});

describe('debt bucket', () => {
  it('lets a cost through, then asks to wait until the debt is paid', () => {
    const bucket = new DebtBucket({ perSecond: 100, burst: 50 }, 0);
    expect(bucket.waitMs(0)).toBe(0);
    bucket.charge(250, 0);
    // 200 in debt at 100 per second: two seconds (and a hair, to be above zero).
    expect(bucket.waitMs(0)).toBe(2010);
    expect(bucket.waitMs(1000)).toBe(1010);
    expect(bucket.waitMs(2100)).toBe(0);
  });
});
