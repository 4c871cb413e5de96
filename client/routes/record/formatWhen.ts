/** "Tuesday 24 November 2026 at 10:00" in the reader's own language and time zone. */
export function formatDateTime(iso: string): string {
  return new Date(iso).toLocaleString([], { dateStyle: 'full', timeStyle: 'short' });
}

/** "24 Nov 2026, 10:00": shorter, for lists. */
export function formatShort(iso: string): string {
  return new Date(iso).toLocaleString([], { dateStyle: 'medium', timeStyle: 'short' });
}

/** "10:00". */
export function formatTime(iso: string): string {
  return new Date(iso).toLocaleTimeString([], { timeStyle: 'short' });
}

/** A `datetime-local` value for an instant, in the browser's time zone. */
export function toLocalInput(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** "Tuesday 24 November 2026 at 10:00 CET": as the clock read in the network's own time zone, zone named. */
export function formatDateTimeIn(iso: string, timeZone: string): string {
  return new Date(iso).toLocaleString([], { dateStyle: 'full', timeStyle: 'short', timeZone }) + ` ${zoneAbbreviation(iso, timeZone)}`;
}

/** "10:00 CET" in the network's own time zone. */
export function formatTimeIn(iso: string, timeZone: string): string {
  return `${new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', timeZone })} ${zoneAbbreviation(iso, timeZone)}`;
}

/** The zone's short name at that instant ("CET", "CEST", or "GMT+1" where the language has no name). */
function zoneAbbreviation(iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat([], { timeZone, timeZoneName: 'short' }).formatToParts(new Date(iso)).find((p) => p.type === 'timeZoneName')?.value ?? timeZone;
}
