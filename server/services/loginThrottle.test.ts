import { describe, expect, it } from 'vitest';
import { createLoginThrottle } from './loginThrottle.ts';

const clock = () => {
  let t = 1_000_000;
  return { now: () => t, advance: (ms: number) => void (t += ms) };
};

describe('login throttle (security review: ten wrong passwords from anyone locked a team member out)', () => {
  it('never refuses the account from an address that has not been failing, however many failures elsewhere', () => {
    const time = clock();
    const throttle = createLoginThrottle({ now: time.now });
    for (let i = 0; i < 40; i++) throttle.recordFailure('pat@team.org', `198.51.100.${i}`);
    expect(throttle.check('pat@team.org', '203.0.113.7')).toEqual({ allowed: true, delayMs: 0 });
  });

  it('makes one (account, address) pair wait, doubling, after five failures, and only that pair', () => {
    const time = clock();
    const throttle = createLoginThrottle({ now: time.now });
    for (let i = 0; i < 5; i++) throttle.recordFailure('pat@team.org', '198.51.100.1');
    expect(throttle.check('pat@team.org', '198.51.100.1')).toEqual({ allowed: false, retryAfterSeconds: 1 });
    expect(throttle.check('kim@team.org', '198.51.100.1').allowed).toBe(true);
    time.advance(1_000);
    throttle.recordFailure('pat@team.org', '198.51.100.1');
    expect(throttle.check('pat@team.org', '198.51.100.1')).toEqual({ allowed: false, retryAfterSeconds: 2 });
    time.advance(2_000);
    expect(throttle.check('pat@team.org', '198.51.100.1').allowed).toBe(true);
  });

  it('forgets a pair after a correct password, and every failure after the window', () => {
    const time = clock();
    const throttle = createLoginThrottle({ now: time.now });
    for (let i = 0; i < 5; i++) throttle.recordFailure('pat@team.org', '198.51.100.1');
    throttle.recordSuccess('pat@team.org', '198.51.100.1');
    expect(throttle.check('pat@team.org', '198.51.100.1').allowed).toBe(true);
    for (let i = 0; i < 5; i++) throttle.recordFailure('kim@team.org', '198.51.100.1');
    time.advance(15 * 60_000 + 1);
    expect(throttle.check('kim@team.org', '198.51.100.1')).toEqual({ allowed: true, delayMs: 0 });
  });

  it('refuses an address that has failed on many accounts, not the others', () => {
    const time = clock();
    const throttle = createLoginThrottle({ now: time.now, addressMaxFailures: 20 });
    for (let i = 0; i < 20; i++) throttle.recordFailure(`user${i}@team.org`, '198.51.100.1');
    expect(throttle.check('new@team.org', '198.51.100.1').allowed).toBe(false);
    expect(throttle.check('new@team.org', '198.51.100.2').allowed).toBe(true);
  });

  it('slows (never refuses) guessing one account from many failing addresses, with a capped growing delay', () => {
    const time = clock();
    const throttle = createLoginThrottle({ now: time.now });
    for (let i = 0; i < 10; i++) throttle.recordFailure('pat@team.org', `198.51.100.${i}`);
    expect(throttle.check('pat@team.org', '198.51.100.3')).toEqual({ allowed: true, delayMs: 250 });
    for (let i = 10; i < 30; i++) throttle.recordFailure('pat@team.org', `198.51.100.${i}`);
    expect(throttle.check('pat@team.org', '198.51.100.3')).toEqual({ allowed: true, delayMs: 5_000 });
    expect(throttle.check('pat@team.org', '203.0.113.9')).toEqual({ allowed: true, delayMs: 0 });
  });

  it('keeps at most maxKeys keys, dropping the oldest', () => {
    const time = clock();
    const throttle = createLoginThrottle({ now: time.now, maxKeys: 3, pairFreeFailures: 1 });
    for (let i = 0; i < 10; i++) throttle.recordFailure(`user${i}@team.org`, '198.51.100.1');
    expect(throttle.check('user0@team.org', '198.51.100.1').allowed).toBe(true);
    expect(throttle.check('user9@team.org', '198.51.100.1').allowed).toBe(false);
  });
});
