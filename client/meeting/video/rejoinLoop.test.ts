import { describe, expect, it } from 'vitest';
import { createRejoinLoop, type RejoinOutcome } from './rejoinLoop.ts';

/** A loop over scripted outcomes, with no waits, recording what it did. */
function scripted(outcomes: RejoinOutcome[], options: { online?: () => boolean } = {}) {
  const log: string[] = [];
  let down = true;
  const loop = createRejoinLoop({
    attempt: async () => {
      const outcome = outcomes.shift() ?? 'retry';
      log.push(outcome);
      if (outcome === 'in') down = false;
      return outcome;
    },
    isDown: () => down,
    isOnline: options.online ?? (() => true),
    onRunning: (running) => log.push(running ? 'start' : 'end'),
    delayMs: () => 0,
  });
  return { loop, log, dropAgain: () => void (down = true) };
}

describe('joining video again', () => {
  it('tries again after each failure until in, then stops', async () => {
    const { loop, log } = scripted(['retry', 'retry', 'in']);
    await loop.run();
    expect(log).toEqual(['start', 'retry', 'retry', 'in', 'end']);
  });

  it('stops at a refusal for good (the meeting ended, access ended)', async () => {
    const { loop, log } = scripted(['retry', 'final', 'in']);
    await loop.run();
    expect(log).toEqual(['start', 'retry', 'final', 'end']);
  });

  it('runs one loop at a time', async () => {
    const { loop, log } = scripted(['retry', 'in']);
    await Promise.all([loop.run(), loop.run()]);
    expect(log).toEqual(['start', 'retry', 'in', 'end']);
  });

  it('makes no attempt while offline, and tries as soon as the browser is back online', async () => {
    let online = false;
    const log: string[] = [];
    const loop = createRejoinLoop({
      attempt: async () => {
        log.push('attempt');
        return 'in';
      },
      isDown: () => log.length === 0,
      isOnline: () => online,
      onRunning: () => {},
      // Long waits: only wake() can end them within the test.
      delayMs: (n) => (n === 0 ? 0 : 60_000),
    });
    const running = loop.run();
    await new Promise((done) => setTimeout(done, 20));
    expect(log).toEqual([]);
    online = true;
    loop.wake();
    await running;
    expect(log).toEqual(['attempt']);
  });

  it('makes no attempt once stopped (the person left)', async () => {
    const { loop, log } = scripted(['in']);
    loop.stop();
    await loop.run();
    expect(log).toEqual([]);
  });
});
