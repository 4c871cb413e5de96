/**
 * What tells a process that other processes may have written to the access-event outbox: a push from the
 * database (PostgreSQL's LISTEN/NOTIFY, postgresDoorbell.ts) or, where the engine cannot push (SQLite,
 * one machine), a short timer. Either way the outbox is then read from the last event seen, so a ring is
 * only ever a hint: a missed or repeated ring delays or repeats a read, never loses or invents an event.
 */
export interface OutboxDoorbell {
  /**
   * Starts ringing `ring` from now on. Resolves once rings can be heard (the first LISTEN is in place, or
   * the database could not be reached and is being retried in the background).
   */
  start(ring: () => void): Promise<void>;
  stop(): Promise<void>;
}

/** How often SQLite's outbox is looked at: well inside the one second access may outlive its loss. */
export const SQLITE_OUTBOX_POLL_MS = 200;

/**
 * The SQLite doorbell: a timer. SQLite has no way to tell another process that a row was written, and all
 * processes on it are on one machine, where reading a small indexed table five times a second costs nothing.
 */
export function createTimerDoorbell(intervalMs = SQLITE_OUTBOX_POLL_MS): OutboxDoorbell {
  let timer: NodeJS.Timeout | null = null;
  return {
    async start(ring) {
      timer = setInterval(ring, intervalMs);
      timer.unref();
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = null;
    },
  };
}
