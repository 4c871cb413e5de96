import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DatabaseSync } from 'node:sqlite';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../store/database.ts';
import { createSqliteLoginFailureStore } from '../store/loginFailureStore.ts';
import { createFailureLogInStore } from './failureLogInStore.ts';
import { createLoginThrottle, LOGIN_WINDOW_MS, type LoginThrottleOptions } from './loginThrottle.ts';

const clock = () => {
  let t = 1_000_000;
  return { now: () => t, advance: (ms: number) => void (t += ms) };
};

// The same rules whether failures are counted in memory or in the store (as every server does: shared by
// all instances on it).
describe.each(['memory', 'store'] as const)('login throttle counting in %s (security review: ten wrong passwords from anyone locked a team member out)', (engine) => {
  const opened: { dir: string; db: DatabaseSync }[] = [];
  afterEach(() => {
    for (const { dir, db } of opened.splice(0)) {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
  const make = (options: LoginThrottleOptions & { now: () => number }) => {
    if (engine === 'memory') return createLoginThrottle(options);
    const dir = mkdtempSync(join(tmpdir(), 'polyphony-throttle-'));
    const db = openDatabase(dir);
    opened.push({ dir, db });
    const store = createSqliteLoginFailureStore(db);
    return createLoginThrottle({ ...options, failures: createFailureLogInStore({ store, serverSecret: new Uint8Array(32).fill(7), windowMs: LOGIN_WINDOW_MS, now: options.now }) });
  };

  it('never refuses the account from an address that has not been failing, however many failures elsewhere', async () => {
    const time = clock();
    const throttle = make({ now: time.now });
    for (let i = 0; i < 40; i++) await throttle.recordFailure('pat@team.org', `198.51.100.${i}`);
    expect(await throttle.check('pat@team.org', '203.0.113.7')).toEqual({ allowed: true, delayMs: 0 });
  });

  it('makes one (account, address) pair wait, doubling, after five failures, and only that pair', async () => {
    const time = clock();
    const throttle = make({ now: time.now });
    for (let i = 0; i < 5; i++) await throttle.recordFailure('pat@team.org', '198.51.100.1');
    expect(await throttle.check('pat@team.org', '198.51.100.1')).toEqual({ allowed: false, retryAfterSeconds: 1 });
    expect((await throttle.check('kim@team.org', '198.51.100.1')).allowed).toBe(true);
    time.advance(1_000);
    await throttle.recordFailure('pat@team.org', '198.51.100.1');
    expect(await throttle.check('pat@team.org', '198.51.100.1')).toEqual({ allowed: false, retryAfterSeconds: 2 });
    time.advance(2_000);
    expect((await throttle.check('pat@team.org', '198.51.100.1')).allowed).toBe(true);
  });

  it('forgets a pair after a correct password, and every failure after the window', async () => {
    const time = clock();
    const throttle = make({ now: time.now });
    for (let i = 0; i < 5; i++) await throttle.recordFailure('pat@team.org', '198.51.100.1');
    await throttle.recordSuccess('pat@team.org', '198.51.100.1');
    expect((await throttle.check('pat@team.org', '198.51.100.1')).allowed).toBe(true);
    for (let i = 0; i < 5; i++) await throttle.recordFailure('kim@team.org', '198.51.100.1');
    time.advance(15 * 60_000 + 1);
    expect(await throttle.check('kim@team.org', '198.51.100.1')).toEqual({ allowed: true, delayMs: 0 });
  });

  it('refuses an address that has failed on many accounts, not the others', async () => {
    const time = clock();
    const throttle = make({ now: time.now, addressMaxFailures: 20 });
    for (let i = 0; i < 20; i++) await throttle.recordFailure(`user${i}@team.org`, '198.51.100.1');
    expect((await throttle.check('new@team.org', '198.51.100.1')).allowed).toBe(false);
    expect((await throttle.check('new@team.org', '198.51.100.2')).allowed).toBe(true);
  });

  it('slows (never refuses) guessing one account from many failing addresses, with a capped growing delay', async () => {
    const time = clock();
    const throttle = make({ now: time.now });
    for (let i = 0; i < 10; i++) await throttle.recordFailure('pat@team.org', `198.51.100.${i}`);
    expect(await throttle.check('pat@team.org', '198.51.100.3')).toEqual({ allowed: true, delayMs: 250 });
    for (let i = 10; i < 30; i++) await throttle.recordFailure('pat@team.org', `198.51.100.${i}`);
    expect(await throttle.check('pat@team.org', '198.51.100.3')).toEqual({ allowed: true, delayMs: 5_000 });
    expect(await throttle.check('pat@team.org', '203.0.113.9')).toEqual({ allowed: true, delayMs: 0 });
  });

  it.runIf(engine === 'memory')('keeps at most maxKeys keys, dropping the oldest', async () => {
    const time = clock();
    const throttle = make({ now: time.now, maxKeys: 3, pairFreeFailures: 1 });
    for (let i = 0; i < 10; i++) await throttle.recordFailure(`user${i}@team.org`, '198.51.100.1');
    expect((await throttle.check('user0@team.org', '198.51.100.1')).allowed).toBe(true);
    expect((await throttle.check('user9@team.org', '198.51.100.1')).allowed).toBe(false);
  });
});
