/**
 * How a meeting's time is said to the people coming to it: in their own time zone (the browser's), with the
 * day in words ("today", "tomorrow", "Thursday 3 December"), and the network's zone named when it differs.
 * `zone` is the reader's zone; absent, the browser's.
 */

/** Whether `iso` falls on the same calendar day as `now` in `zone`. */
export function isSameDay(iso: string, now: Date, zone?: string): boolean {
  return dayKey(new Date(iso), zone) === dayKey(now, zone);
}

/** "today", "tomorrow", or "Thursday 3 December" (with the year when it is not this year's). */
export function meetingDay(iso: string, now: Date, zone?: string): string {
  const at = new Date(iso);
  if (dayKey(at, zone) === dayKey(now, zone)) return 'today';
  if (isNextCalendarDay(at, now, zone)) return 'tomorrow';
  return longDay(at, now, zone);
}

/** "Thursday 3 December" (with the year when it is not `now`'s year). */
export function longDay(at: Date, now: Date, zone?: string): string {
  const parts = new Intl.DateTimeFormat('en-GB', { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', ...zoneOption(zone) }).formatToParts(at);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  // Put together by hand: ICU's punctuation between the parts changes with the year's presence and its version.
  const day = `${part('weekday')} ${part('day')} ${part('month')}`;
  return yearOf(at, zone) === yearOf(now, zone) ? day : `${day} ${part('year')}`;
}

/** "10:00", 24-hour, in `zone`. */
export function clockTime(iso: string, zone?: string): string {
  return new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', ...zoneOption(zone) }).format(new Date(iso));
}

/** "today at 10:00", "tomorrow, Thursday 3 December, at 10:00", "on Thursday 3 December at 10:00". */
export function meetingDayAndTime(iso: string, now: Date, zone?: string): string {
  const day = meetingDay(iso, now, zone);
  const time = clockTime(iso, zone);
  if (day === 'today') return `today at ${time}`;
  if (day === 'tomorrow') return `tomorrow, ${longDay(new Date(iso), now, zone)}, at ${time}`;
  return `on ${day} at ${time}`;
}

/** "Monday 30 November at 16:30": a date in words and its time, for meetings listed by date (e.g. those held). */
export function dateAndTime(iso: string, now: Date, zone?: string): string {
  return `${longDay(new Date(iso), now, zone)} at ${clockTime(iso, zone)}`;
}

/**
 * When the network's zone reads another time than the reader's: "That is 09:00 in London time, where the
 * team is." Undefined when both clocks read the same (whatever the zones are called).
 */
export function networkZoneNote(iso: string, networkZone: string, zone?: string): string | undefined {
  const theirs = wallClock(iso, networkZone);
  if (theirs === undefined || theirs === wallClock(iso, zone)) return undefined;
  const place = networkZone.split('/').pop()?.replaceAll('_', ' ') ?? networkZone;
  return `That is ${clockTime(iso, networkZone)}${theirs.slice(0, 10) === wallClock(iso, zone)?.slice(0, 10) ? '' : ` on ${longDay(new Date(iso), new Date(iso), networkZone)}`} in ${place} time, where the team is.`;
}

/** The reader's zone by its IANA name ("Europe/Oslo"), for saying which clock the times are on. */
export function ownTimeZone(): string {
  return new Intl.DateTimeFormat().resolvedOptions().timeZone;
}

function zoneOption(zone: string | undefined): { timeZone?: string } {
  return zone === undefined ? {} : { timeZone: zone };
}

/** "2026-12-03 10:00" in `zone`; undefined for a zone this browser does not know. */
function wallClock(iso: string, zone: string | undefined): string | undefined {
  try {
    const parts = new Intl.DateTimeFormat('en-GB', { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', ...zoneOption(zone) }).formatToParts(new Date(iso));
    const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
    return `${part('year')}-${part('month')}-${part('day')} ${part('hour')}:${part('minute')}`;
  } catch {
    return undefined;
  }
}

function dayKey(at: Date, zone: string | undefined): string {
  return wallClock(at.toISOString(), zone)?.slice(0, 10) ?? at.toISOString().slice(0, 10);
}

function yearOf(at: Date, zone: string | undefined): string {
  return dayKey(at, zone).slice(0, 4);
}

/** Tomorrow by the calendar, also across a daylight-saving change (a day of 23 or 25 hours). */
function isNextCalendarDay(at: Date, now: Date, zone: string | undefined): boolean {
  const [y, m, d] = dayKey(now, zone).split('-').map(Number);
  const next = new Date(Date.UTC(y ?? 1970, (m ?? 1) - 1, (d ?? 1) + 1));
  return dayKey(at, zone) === next.toISOString().slice(0, 10);
}
