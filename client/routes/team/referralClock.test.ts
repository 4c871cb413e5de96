import { describe, expect, it } from 'vitest';
import { referralClock } from './referralClock.ts';

const referred = '2026-11-23T08:00:00.000Z';

describe('the 24-hour clock from referral to first meeting', () => {
  it('runs, with the time left, while no meeting is planned', () => {
    const clock = referralClock(referred, undefined, new Date('2026-11-23T20:30:00.000Z'));
    expect(clock.state).toBe('running');
    expect(clock.text).toContain('11 h 30 min left');
  });

  it('is missed once 24 hours pass without a meeting', () => {
    expect(referralClock(referred, undefined, new Date('2026-11-24T08:00:01.000Z')).state).toBe('missed');
  });

  it('is met by a first meeting within 24 hours, and missed by a later one', () => {
    const now = new Date('2026-11-25T00:00:00.000Z');
    expect(referralClock(referred, '2026-11-24T07:59:00.000Z', now).state).toBe('met');
    expect(referralClock(referred, '2026-11-24T08:01:00.000Z', now).state).toBe('missed');
  });

  it('is planned while a first meeting within 24 hours is still ahead, and met once its time has come', () => {
    expect(referralClock(referred, '2026-11-23T18:00:00.000Z', new Date('2026-11-23T12:00:00.000Z'))).toEqual({
      state: 'planned',
      text: 'First meeting planned within 24 hours',
    });
    expect(referralClock(referred, '2026-11-23T18:00:00.000Z', new Date('2026-11-23T18:00:00.000Z')).state).toBe('met');
  });
});
