import { describe, expect, it } from 'vitest';
import { recordTime, TimeZone } from './timeZone.ts';

describe('a network time zone', () => {
  it('takes IANA names, written as the runtime spells them, and refuses anything else', () => {
    expect(TimeZone.parse('Europe/Oslo')).toBe('Europe/Oslo');
    expect(TimeZone.parse(' europe/oslo ')).toBe('Europe/Oslo');
    for (const bad of ['', 'Mars/Olympus_Mons', 'x'.repeat(65), '../../etc/passwd']) expect(TimeZone.safeParse(bad).success, bad).toBe(false);
  });

  it('gives the wall clock in the zone with the zone named, across daylight saving and the date line', () => {
    expect(recordTime('2026-01-05T10:00:00.000Z', 'Europe/Oslo')).toBe('2026-01-05 11:00 (Europe/Oslo)');
    expect(recordTime('2026-07-05T10:00:00.000Z', 'Europe/Oslo')).toBe('2026-07-05 12:00 (Europe/Oslo)');
    expect(recordTime('2026-01-05T11:30:00.000Z', 'Pacific/Auckland')).toBe('2026-01-06 00:30 (Pacific/Auckland)');
    expect(recordTime('2026-01-05T00:05:00.000Z', 'UTC')).toBe('2026-01-05 00:05 (UTC)');
  });
});
