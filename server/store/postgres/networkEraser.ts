import type { Pool, PoolClient } from 'pg';
import { meetingDocName, networkDocName } from '../../../shared/media/rooms.ts';
import type { ErasureCounts, NetworkEraser } from '../networkEraser.ts';
import { inTransaction } from './transaction.ts';

/**
 * Every table the erasure deletes from, in the order it does (children before their parents, so no foreign
 * key waits on a cascade). The same tables as the SQLite eraser, and also `meeting_team` (SQLite removes its
 * rows by cascade) and `doc_heads`, which SQLite does not have. Also the tables VACUUM gets afterwards, and
 * those the README asks an operator to VACUUM FULL.
 */
export const ERASURE_TABLES = [
  'doc_updates',
  'doc_clients',
  'doc_heads',
  'meeting_addenda',
  'sealed_records',
  'attendance',
  'notes_versions',
  'meeting_schedule',
  'meeting_team',
  'audit_log',
  'invites',
  'network_members',
  'meetings',
  'network_team',
  'network_closures',
  'networks',
] as const;

/**
 * {@link NetworkEraser} on PostgreSQL: every row of the network and its documents go in one transaction,
 * and its documents are marked erased in it, so the document store refuses any later write of them.
 *
 * A DELETE only marks rows dead: their bytes stay in the table (and TOAST) pages, readable by anyone with
 * the files, until VACUUM removes them. VACUUM cannot run inside a transaction, so it runs on the touched
 * tables right after the commit. It does not lock out readers or writers (meetings go on meanwhile), but it
 * can remove only rows no open snapshot can still see: `logCleared` is false when a transaction older than
 * the erasure was open (a long read, a prepared transaction, a replication slot), and then the bytes stay
 * until a later VACUUM (autovacuum's, or the next erasure's). Plain VACUUM frees the space without zeroing
 * it, and the write-ahead log, backups and replicas are beyond this command: see the README (Erasure on
 * PostgreSQL) for what remains where and what the operator does about it.
 */
export function createPostgresNetworkEraser(pool: Pool): NetworkEraser {
  return {
    async erase(networkId) {
      const erased = await inTransaction(pool, (client) => eraseRows(client, networkId));
      if (!erased) return undefined;
      const { counts, erasureXid } = erased;
      const horizonClear = await noSnapshotOlderThan(pool, erasureXid);
      // After the commit (VACUUM refuses to run in a transaction), on the pool: dead rows still hold the names
      // and the notes in the table files until VACUUM removes them.
      await pool.query(`VACUUM ${ERASURE_TABLES.join(', ')}`);
      return { ...counts, logCleared: horizonClear };
    },
  };
}

async function eraseRows(client: PoolClient, networkId: string): Promise<{ counts: Omit<ErasureCounts, 'logCleared'>; erasureXid: string } | undefined> {
  // Locked, so that two erasures of one network do not both count it, and no meeting is added to it meanwhile.
  const network = await client.query('SELECT id FROM networks WHERE id = $1 FOR UPDATE', [networkId]);
  if (!network.rowCount) return undefined;
  const meetings = (await client.query<{ id: string }>('SELECT id FROM meetings WHERE network_id = $1', [networkId])).rows.map((row) => row.id);
  const docNames = [...meetings.map(meetingDocName), networkDocName(networkId)].sort();
  // The marker first, then each document's head row lock, as the document store's writers take it (see
  // docStore.ts in this folder): an append that holds the lock commits before this erasure deletes its rows,
  // and one that waits for it sees the marker once it has the lock, and is refused.
  await client.query('INSERT INTO erased_documents (doc_name, erased_at) SELECT unnest($1::text[]), $2 ON CONFLICT DO NOTHING', [docNames, new Date().toISOString()]);
  // Upserted, not only selected: a document never written yet gets a row too, so a first append that starts
  // now waits for this transaction on its key instead of writing past the erasure.
  await client.query(
    `INSERT INTO doc_heads (doc_name) SELECT unnest($1::text[]) ORDER BY 1
     ON CONFLICT (doc_name) DO UPDATE SET doc_name = excluded.doc_name`,
    [docNames],
  );
  const documentRows = (await client.query('DELETE FROM doc_updates WHERE doc_name = ANY($1)', [docNames])).rowCount ?? 0;
  // Who wrote with which client id: personal data of the network as much as the text itself.
  await client.query('DELETE FROM doc_clients WHERE doc_name = ANY($1)', [docNames]);
  // Its epoch no longer guards anything: every write of an erased document is refused.
  await client.query('DELETE FROM doc_heads WHERE doc_name = ANY($1)', [docNames]);
  const ofMeetings = 'meeting_id IN (SELECT id FROM meetings WHERE network_id = $1)';
  await client.query('DELETE FROM meeting_addenda WHERE network_id = $1', [networkId]);
  await client.query('DELETE FROM sealed_records WHERE network_id = $1', [networkId]);
  for (const table of ['attendance', 'notes_versions', 'meeting_schedule', 'meeting_team']) {
    await client.query(`DELETE FROM ${table} WHERE ${ofMeetings}`, [networkId]);
  }
  const auditEntries = (await client.query('DELETE FROM audit_log WHERE network_id = $1', [networkId])).rowCount ?? 0;
  const invites = (await client.query('DELETE FROM invites WHERE network_id = $1', [networkId])).rowCount ?? 0;
  const members = (await client.query('DELETE FROM network_members WHERE network_id = $1', [networkId])).rowCount ?? 0;
  for (const table of ['meetings', 'network_team', 'network_closures']) {
    await client.query(`DELETE FROM ${table} WHERE network_id = $1`, [networkId]);
  }
  await client.query('DELETE FROM networks WHERE id = $1', [networkId]);
  const erasureXid = (await client.query<{ xid: string }>('SELECT xid(pg_current_xact_id())::text AS xid')).rows[0]?.xid;
  if (!erasureXid) throw new Error('the erasure has no transaction id');
  return { counts: { meetings: meetings.length, members, invites, documents: docNames.length, documentRows, auditEntries }, erasureXid };
}

/**
 * Whether VACUUM may remove the rows the erasure deleted: no transaction of this database (nor a prepared
 * transaction or a replication slot) holds a snapshot or an id from before the erasure committed. Asked
 * before VACUUM runs: a holder that ends in between only makes the answer cautious, and no snapshot taken
 * later can reach back past one that is not there now.
 */
async function noSnapshotOlderThan(pool: Pool, erasureXid: string): Promise<boolean> {
  const result = await pool.query<{ held: boolean }>(
    `SELECT EXISTS (
        SELECT 1 FROM pg_stat_activity
        WHERE pid <> pg_backend_pid() AND (datname = current_database() OR datname IS NULL)
          AND (age(backend_xmin) >= age($1::xid) OR age(backend_xid) >= age($1::xid))
      ) OR EXISTS (
        SELECT 1 FROM pg_prepared_xacts WHERE database = current_database()
      ) OR EXISTS (
        SELECT 1 FROM pg_replication_slots WHERE xmin IS NOT NULL OR catalog_xmin IS NOT NULL
      ) AS held`,
    [erasureXid],
  );
  return result.rows[0]?.held === false;
}
