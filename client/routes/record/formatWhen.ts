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
