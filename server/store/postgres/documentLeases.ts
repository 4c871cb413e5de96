import type { Pool } from 'pg';
import { DocumentHeldElsewhereError, type DocumentLeaseStore, type HeldDocument, type LeaseState } from '../../cluster/documentLeases.ts';
import { inTransaction } from './transaction.ts';

/**
 * {@link DocumentLeaseStore} on the `doc_heads` row of each document (migration 17), for instances that share
 * one PostgreSQL. Times are the database's (`now()`), so the instances' clocks play no part.
 *
 * A claim bumps the epoch, exactly as DocStore.claim does, but only when nobody else holds a live lease: the
 * epoch still fences every earlier claimer's writes (a paused owner whose lease ran out, then came back), and
 * the lease keeps a live owner from being taken over by an instance the load balancer sent a client to.
 */
export function createPostgresDocumentLeases(pool: Pool, holder: string): DocumentLeaseStore {
  return {
    holder,
    async claim(docName, ttlMs) {
      const claimed = await pool.query<{ epoch: string }>(
        `INSERT INTO doc_heads (doc_name, epoch, lease_holder, lease_until) VALUES ($1, 1, $2, now() + $3 * interval '1 millisecond')
         ON CONFLICT (doc_name) DO UPDATE
           SET epoch = doc_heads.epoch + 1, lease_holder = excluded.lease_holder, lease_until = excluded.lease_until, lease_wanted = false
           WHERE doc_heads.lease_holder IS NULL OR doc_heads.lease_holder = excluded.lease_holder OR doc_heads.lease_until <= now()
         RETURNING epoch`,
        [docName, holder, ttlMs],
      );
      const row = claimed.rows[0];
      if (row) return Number(row.epoch);
      // Held by a live owner: it is asked to hand the document over (see renew), and this claim is refused.
      const held = await pool.query<{ left_ms: string }>(
        `UPDATE doc_heads SET lease_wanted = true WHERE doc_name = $1
         RETURNING GREATEST(0, EXTRACT(EPOCH FROM (lease_until - now())) * 1000)::bigint AS left_ms`,
        [docName],
      );
      throw new DocumentHeldElsewhereError(Number(held.rows[0]?.left_ms ?? 0));
    },
    async renew(held, ttlMs) {
      if (held.length === 0) return [];
      const sorted = [...held].sort((a, b) => (a.docName < b.docName ? -1 : a.docName > b.docName ? 1 : 0));
      // Locked in name order first, as every writer of several heads does (docAppendBatch.ts, networkEraser.ts):
      // one UPDATE over many rows would lock them in whatever order it meets them, and could deadlock.
      const { existing, renewed } = await inTransaction(pool, async (client) => {
        const locked = await client.query<{ doc_name: string }>('SELECT doc_name FROM doc_heads WHERE doc_name = ANY($1::text[]) ORDER BY doc_name FOR UPDATE', [sorted.map((entry) => entry.docName)]);
        const updated = await client.query<{ doc_name: string; lease_wanted: boolean }>(
          `UPDATE doc_heads SET lease_until = now() + $4 * interval '1 millisecond'
           FROM unnest($1::text[], $2::bigint[]) AS r(doc_name, epoch)
           WHERE doc_heads.doc_name = r.doc_name AND doc_heads.epoch = r.epoch AND doc_heads.lease_holder = $3
           RETURNING doc_heads.doc_name, doc_heads.lease_wanted`,
          [sorted.map((entry) => entry.docName), sorted.map((entry) => entry.epoch), holder, ttlMs],
        );
        return { existing: new Set(locked.rows.map((row) => row.doc_name)), renewed: updated };
      });
      const found = new Map(renewed.rows.map((row) => [row.doc_name, row.lease_wanted]));
      return held.map((entry): HeldDocument & { state: LeaseState } => {
        const wanted = found.get(entry.docName);
        const state = wanted !== undefined ? (wanted ? 'wanted' : 'held') : existing.has(entry.docName) ? 'lost' : 'gone';
        return { ...entry, state };
      });
    },
    async release(docName, epoch) {
      await pool.query(
        'UPDATE doc_heads SET lease_holder = NULL, lease_until = NULL, lease_wanted = false WHERE doc_name = $1 AND epoch = $2 AND lease_holder = $3',
        [docName, epoch, holder],
      );
    },
  };
}
