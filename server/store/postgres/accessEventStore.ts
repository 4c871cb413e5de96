import type { Pool } from 'pg';
import type { AccessEventStore } from '../accessEventStore.ts';
import { inTransaction } from './transaction.ts';

/** The LISTEN/NOTIFY channel on which every append is announced (server/events/postgresDoorbell.ts listens). */
export const ACCESS_EVENT_CHANNEL = 'polyphony_access_events';

/** A notification's payload: the new event's number only (the event itself is read from the table). */
export function accessEventNotification(seq: number): string {
  return JSON.stringify({ seq });
}

/**
 * {@link AccessEventStore} on PostgreSQL. Readers remember the last sequence number they saw and ask for
 * those after it, so an event must never become visible after one with a higher number. On SQLite the single
 * writer guarantees it; here two appends could take numbers 5 and 6 and commit 6 first, and a reader
 * between the two commits would skip 5 for ever. So each append locks the table against other writers
 * (SHARE ROW EXCLUSIVE conflicts with itself and with every INSERT or DELETE, not with readers) before it
 * takes its number, and holds the lock until it commits: numbers are taken and committed in one order.
 * Appends are rare (a revocation, an end), so serialising them costs nothing that matters.
 *
 * Each append also notifies {@link ACCESS_EVENT_CHANNEL} in the same transaction: PostgreSQL delivers a
 * notification only when its transaction commits, so other instances hear of an event exactly when they
 * can read it, never of one that was rolled back. The payload is the number alone, never the event: a
 * notification is at most 8000 bytes, and the table stays the one place an event is read from.
 */
export function createPostgresAccessEventStore(pool: Pool): AccessEventStore {
  return {
    append: (event, keepSince) =>
      inTransaction(pool, async (client) => {
        await client.query('LOCK TABLE access_events IN SHARE ROW EXCLUSIVE MODE');
        await client.query('DELETE FROM access_events WHERE at < $1', [keepSince]);
        const inserted = await client.query<{ seq: string }>('INSERT INTO access_events (origin, at, body) VALUES ($1, $2, $3) RETURNING seq', [event.origin, event.at, event.body]);
        const seq = inserted.rows[0]?.seq;
        if (seq === undefined) throw new Error('INSERT … RETURNING gave no row');
        await client.query('SELECT pg_notify($1, $2)', [ACCESS_EVENT_CHANNEL, accessEventNotification(Number(seq))]);
        return Number(seq);
      }),
    async after(seq, limit) {
      const result = await pool.query<{ seq: string; origin: string; body: string }>('SELECT seq, origin, body FROM access_events WHERE seq > $1 ORDER BY seq LIMIT $2', [seq, limit]);
      return result.rows.map((row) => ({ seq: Number(row.seq), origin: row.origin, body: row.body }));
    },
    async lastSeq() {
      const result = await pool.query<{ seq: string }>('SELECT COALESCE(MAX(seq), 0) AS seq FROM access_events');
      return Number(result.rows[0]?.seq ?? 0);
    },
  };
}
