import { failed, passed, type DoctorCheck } from './doctor.ts';

/** How far the clock may be behind the newest time the database holds before it counts as wrong. */
const CLOCK_SLACK_MS = 5 * 60_000;

/**
 * How far this machine's clock may be from PostgreSQL's. Instances stamp rows with their own clocks and read
 * what others stamped (session and invite expiry), and LiveKit checks the 2-minute join tokens an instance
 * mints against its own clock: NTP keeps machines within milliseconds, so half a minute is already a fault.
 */
export const DATABASE_SKEW_LIMIT_MS = 30_000;

/** Times the database holds that were "now" when written; a clock earlier than the newest is wrong. */
export const STAMPS: readonly [table: string, column: string][] = [
  ['schema_migrations', 'applied_at'],
  ['audit_log', 'at'],
  ['access_events', 'at'],
  ['sessions', 'created_at'],
  ['sessions', 'last_seen_at'],
  ['users', 'created_at'],
  ['meetings', 'created_at'],
];

/** What the database says about time: the newest stamp it holds, and (PostgreSQL) its own clock. */
export interface DatabaseTimes {
  newest: string | undefined;
  /**
   * PostgreSQL's clock minus this machine's, read halfway through one round trip; `uncertaintyMs` is half
   * that round trip (the reading cannot be closer than that).
   */
  skew?: { ms: number; uncertaintyMs: number };
}

const FIX = 'Turn on time synchronisation (for example timedatectl set-ntp true) so that the clock follows NTP.';
const SKEW_FIX = 'Turn on time synchronisation (for example timedatectl set-ntp true) on this machine and on the PostgreSQL server, so that both follow NTP.';

/** The clock check from what was read; `times` undefined: the database could not be read. */
export function judgeClock(now: Date, times: DatabaseTimes | undefined): DoctorCheck {
  const said = `The clock says ${now.toISOString()}`;
  if (now.getUTCFullYear() < 2025) return failed('clock', `${said}, before this release existed.`, FIX);
  if (times === undefined) return passed('clock', `${said}; the database could not be read to compare (see the database check).`);
  const { newest, skew } = times;
  if (skew !== undefined && Math.abs(skew.ms) - skew.uncertaintyMs > DATABASE_SKEW_LIMIT_MS) {
    const way = skew.ms > 0 ? 'behind' : 'ahead of';
    return failed('clock', `${said}, ${formatSpan(Math.abs(skew.ms))} ${way} the PostgreSQL server's clock (at most ${DATABASE_SKEW_LIMIT_MS / 1000} s allowed).`, SKEW_FIX);
  }
  if (newest !== undefined && Date.parse(newest) > now.getTime() + CLOCK_SLACK_MS) {
    return failed('clock', `${said}, but the database already holds ${newest}: the clock is behind.`, FIX);
  }
  const agreed = skew === undefined ? '' : `, within ${formatSpan(Math.abs(skew.ms) + skew.uncertaintyMs)} of the PostgreSQL server's clock`;
  const after = newest === undefined ? '; the database holds no time yet to compare with' : `, after the newest time in the database (${newest})`;
  return passed('clock', `${said}${agreed}${after}.`);
}

/** The newest of the stamps read (ISO strings, or anything else, which is ignored). */
export function newestOf(values: readonly unknown[]): string | undefined {
  let newest: string | undefined;
  for (const value of values) {
    if (typeof value !== 'string' || Number.isNaN(Date.parse(value))) continue;
    if (newest === undefined || Date.parse(value) > Date.parse(newest)) newest = value;
  }
  return newest;
}

function formatSpan(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 120_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.round(ms / 60_000)} min`;
}
