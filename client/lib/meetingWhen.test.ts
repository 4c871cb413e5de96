import { describe, expect, it } from 'vitest';
import { isSameDay, meetingDayAndTime, networkZoneNote } from './meetingWhen.ts';

const NOW = new Date('2026-12-02T16:00:00Z'); // Wednesday

describe('saying when a meeting is, in the reader’s own zone', () => {
  it('says today, tomorrow with its date, or the day and date', () => {
    expect(meetingDayAndTime('2026-12-02T18:30:00Z', NOW, 'Europe/London')).toBe('today at 18:30');
    expect(meetingDayAndTime('2026-12-03T10:00:00Z', NOW, 'Europe/London')).toBe('tomorrow, Thursday 3 December, at 10:00');
    expect(meetingDayAndTime('2026-12-08T10:00:00Z', NOW, 'Europe/London')).toBe('on Tuesday 8 December at 10:00');
    expect(meetingDayAndTime('2027-01-05T10:00:00Z', NOW, 'Europe/London')).toBe('on Tuesday 5 January 2027 at 10:00');
  });

  it('counts days on the reader’s own calendar, not the server’s', () => {
    // 23:30 UTC on the 2nd is already the 3rd in Oslo, and still the 2nd in New York.
    expect(isSameDay('2026-12-02T23:30:00Z', NOW, 'Europe/Oslo')).toBe(false);
    expect(meetingDayAndTime('2026-12-02T23:30:00Z', NOW, 'Europe/Oslo')).toBe('tomorrow, Thursday 3 December, at 00:30');
    expect(meetingDayAndTime('2026-12-02T23:30:00Z', NOW, 'America/New_York')).toBe('today at 18:30');
  });

  it('names the network’s clock only when it reads another time', () => {
    expect(networkZoneNote('2026-12-03T10:00:00Z', 'Europe/London', 'Europe/London')).toBeUndefined();
    expect(networkZoneNote('2026-12-03T10:00:00Z', 'Europe/Dublin', 'Europe/London')).toBeUndefined();
    expect(networkZoneNote('2026-12-03T10:00:00Z', 'Europe/Oslo', 'Europe/London')).toBe('That is 11:00 in Oslo time, where the team is.');
    expect(networkZoneNote('2026-12-03T02:00:00Z', 'America/New_York', 'Europe/London')).toBe('That is 21:00 on Wednesday 2 December in New York time, where the team is.');
  });
});
