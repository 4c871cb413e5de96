import { z } from 'zod';

/** Longest IANA zone name accepted (the longest in use is about 30 characters). */
export const TIME_ZONE_MAX = 64;

/** Whether this runtime knows `zone` as an IANA time zone (e.g. `Europe/Oslo`). */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return zone.length > 0;
  } catch {
    return false;
  }
}

/**
 * An IANA time zone name, checked against the runtime's own zone data and written as the runtime spells it
 * (`europe/oslo` becomes `Europe/Oslo`), so one zone is stored one way.
 */
export const TimeZone = z
  .string()
  .trim()
  .min(1)
  .max(TIME_ZONE_MAX)
  .refine(isTimeZone, 'Please choose a time zone such as Europe/Oslo')
  .transform((zone) => new Intl.DateTimeFormat('en', { timeZone: zone }).resolvedOptions().timeZone);
export type TimeZone = z.infer<typeof TimeZone>;

/**
 * `2026-01-05 11:00 (Europe/Oslo)`: an instant as the clock read in `zone`, with the zone named so that the
 * record reads the same wherever it is filed or printed. The one format of times in the record's exports.
 */
export function recordTime(iso: string, zone: string): string {
  return `${zoneWallClock(iso, zone)} (${zone})`;
}

/** `2026-01-05 11:00`: the wall clock in `zone`, 24-hour, without the zone's name. */
export function zoneWallClock(iso: string, zone: string): string {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: zone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date(iso));
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')} ${part('hour')}:${part('minute')}`;
}
