const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The start times of a daily series of `count` meetings from `startsAt`. With an IANA `timeZone`, each
 * meeting keeps the first one's wall-clock time in that zone (a 10:00 meeting stays at 10:00 across a
 * daylight-saving change); without one, meetings are exactly 24 hours apart. An unknown zone is an error.
 */
export function dailySeriesTimes(startsAt: Date, count: number, timeZone?: string): Date[] {
  if (!timeZone) return Array.from({ length: count }, (_, day) => new Date(startsAt.getTime() + day * DAY_MS));
  const local = wallClock(startsAt, timeZone);
  return Array.from({ length: count }, (_, day) =>
    instantAt({ ...local, day: local.day + day }, timeZone),
  );
}

interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/** The wall-clock reading of `instant` in `timeZone`. */
function wallClock(instant: Date, timeZone: string): WallClock {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(instant);
  const part = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return { year: part('year'), month: part('month'), day: part('day'), hour: part('hour'), minute: part('minute'), second: part('second') };
}

/** Offset of `timeZone` from UTC at `instant`, in milliseconds. */
function offsetAt(instant: Date, timeZone: string): number {
  const w = wallClock(instant, timeZone);
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) - Math.floor(instant.getTime() / 1000) * 1000;
}

/**
 * The instant at which the clock in `timeZone` reads `w` (day may overflow the month; Date.UTC carries it).
 * Two rounds settle the offset on either side of a change; a time skipped by a change lands an hour later.
 */
function instantAt(w: WallClock, timeZone: string): Date {
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  let guess = asUtc - offsetAt(new Date(asUtc), timeZone);
  guess = asUtc - offsetAt(new Date(guess), timeZone);
  return new Date(guess);
}
