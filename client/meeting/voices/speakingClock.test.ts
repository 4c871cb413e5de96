import { describe, expect, it } from 'vitest';
import { createSpeakingClock } from './speakingClock.ts';

describe('speaking clock', () => {
  it('adds up stretches of speaking, including one still going on', () => {
    const clock = createSpeakingClock();
    expect(clock.seconds(0)).toBe(0);
    clock.speaking(true, 1000);
    clock.speaking(false, 3500);
    clock.speaking(true, 10_000);
    expect(clock.seconds(11_000)).toBe(3.5);
    clock.speaking(false, 12_000);
    expect(clock.seconds(60_000)).toBe(4.5);
  });

  it('ignores repeated events and a clock that steps back', () => {
    const clock = createSpeakingClock();
    clock.speaking(false, 500);
    clock.speaking(true, 1000);
    clock.speaking(true, 2000);
    clock.speaking(false, 900);
    expect(clock.seconds(5000)).toBe(0);
  });
});
