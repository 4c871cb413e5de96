import { describe, expect, it } from 'vitest';
import { byClockUrgency, referralClock } from './referralClock.ts';

const referred = '2026-11-23T08:00:00.000Z';

describe('the 24-hour clock from referral to the first meeting held', () => {
  it('runs, with the time left, while no meeting is planned or held', () => {
    const clock = referralClock(referred, {}, new Date('2026-11-23T20:30:00.000Z'));
    expect(clock).toEqual({ state: 'running', text: 'No meeting held yet: 11 h 30 min left of 24 hours' });
  });

  it('is missed once 24 hours pass without a meeting held', () => {
    expect(referralClock(referred, {}, new Date('2026-11-24T08:00:01.000Z')).state).toBe('missed');
  });

  it('is met by a meeting held within 24 hours, and missed by one held later', () => {
    const now = new Date('2026-11-25T00:00:00.000Z');
    expect(referralClock(referred, { heldAt: '2026-11-24T07:59:00.000Z' }, now)).toEqual({ state: 'met', text: 'First meeting held within 24 hours' });
    expect(referralClock(referred, { heldAt: '2026-11-24T08:01:00.000Z' }, now).state).toBe('missed');
  });

  it('is planned while a scheduled meeting within 24 hours is still ahead', () => {
    expect(referralClock(referred, { plannedAt: '2026-11-23T18:00:00.000Z' }, new Date('2026-11-23T12:00:00.000Z'))).toEqual({
      state: 'planned',
      text: 'First meeting planned within 24 hours',
    });
  });

  // Found by a tester: the clock said "planned" after the first meeting had been held, as it read the schedule.
  it('says held once a meeting was held, whatever the schedule still says', () => {
    const now = new Date('2026-11-23T12:30:00.000Z');
    expect(referralClock(referred, { heldAt: '2026-11-23T12:00:00.000Z', plannedAt: '2026-11-23T18:00:00.000Z' }, now).state).toBe('met');
  });

  it('is not met by a scheduled meeting whose time came when nobody met: it runs on, then is missed', () => {
    const first = { plannedAt: '2026-11-23T18:00:00.000Z' };
    expect(referralClock(referred, first, new Date('2026-11-23T18:30:00.000Z')).state).toBe('running');
    expect(referralClock(referred, first, new Date('2026-11-24T09:00:00.000Z')).state).toBe('missed');
  });

  it('is not missed yet by a meeting planned later than 24 hours, only running', () => {
    expect(referralClock(referred, { plannedAt: '2026-11-24T10:00:00.000Z' }, new Date('2026-11-23T12:00:00.000Z')).state).toBe('running');
  });
});

describe('the order of the team’s list', () => {
  it('puts missed and running clocks first, the longest waiting first among equals', () => {
    const entry = (name: string, state: 'met' | 'planned' | 'running' | 'missed', referredAt: string) => ({ name, referredAt, clock: { state, text: '' } });
    const list = [entry('met', 'met', '2026-11-20'), entry('planned', 'planned', '2026-11-23'), entry('new', 'running', '2026-11-23'), entry('old', 'running', '2026-11-22'), entry('missed', 'missed', '2026-11-21')];
    expect(list.sort(byClockUrgency).map((e) => e.name)).toEqual(['missed', 'old', 'new', 'planned', 'met']);
  });
});
