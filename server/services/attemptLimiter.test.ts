import { describe, expect, it } from 'vitest';
import { createAttemptLimiter } from './attemptLimiter.ts';

describe('attempt limiter', () => {
  it('allows max attempts per window, then refuses until the window has passed', () => {
    let now = 0;
    const limiter = createAttemptLimiter({ max: 3, windowMs: 1000, now: () => now });
    expect([limiter.take('a'), limiter.take('a'), limiter.take('a'), limiter.take('a')]).toEqual([true, true, true, false]);
    expect(limiter.take('b')).toBe(true);
    now = 1001;
    expect(limiter.take('a')).toBe(true);
  });

  it('forgets a key on reset', () => {
    const limiter = createAttemptLimiter({ max: 1, windowMs: 1000 });
    limiter.take('a');
    limiter.reset('a');
    expect(limiter.take('a')).toBe(true);
  });
});
