import type { MeetingRecord, MeetingStore } from '../meetingStore.ts';
import { optionalString, type Sql } from './sql.ts';

/** A row as read here: every query asks for a network, so rows from before networks existed never come back. */
interface MeetingRow {
  id: string;
  network_id: string;
  title: string;
  scheduled_at: string | null;
  status: string;
  created_at: string;
  ended_at: string | null;
}

/** {@link MeetingStore} on PostgreSQL. As on SQLite, rows from before networks existed are never returned. */
export function createPostgresMeetingStore(sql: Sql): MeetingStore {
  return {
    async create(m) {
      await sql.query('INSERT INTO meetings (id, network_id, title, scheduled_at, status, created_at) VALUES ($1, $2, $3, $4, $5, $6)', [
        m.id,
        m.networkId,
        m.title,
        m.scheduledAt,
        m.status,
        m.createdAt,
      ]);
    },
    async get(id) {
      const row = (await sql.query<MeetingRow>('SELECT * FROM meetings WHERE id = $1 AND network_id IS NOT NULL', [id])).rows[0];
      return row && toMeeting(row);
    },
    async listForNetwork(networkId) {
      // NULLS FIRST and COLLATE "C": SQLite's order (NULL before any text, text byte by byte). Meetings at
      // one time follow in creation order, then id, where SQLite leaves such a tie unspecified.
      const result = await sql.query<MeetingRow>(
        'SELECT * FROM meetings WHERE network_id = $1 ORDER BY scheduled_at COLLATE "C" NULLS FIRST, created_at COLLATE "C", id COLLATE "C"',
        [networkId],
      );
      return result.rows.map(toMeeting);
    },
    // One UPDATE, so the first end time stays under concurrency too: a second end (another instance, the ops
    // CLI) waiting on the first one's row lock re-evaluates COALESCE on the committed row (READ COMMITTED).
    async setStatus(id, next, at) {
      await sql.query("UPDATE meetings SET status = $1, ended_at = CASE WHEN $1 = 'ended' THEN COALESCE(ended_at, $2) ELSE ended_at END WHERE id = $3", [next, at, id]);
    },
  };
}

function toMeeting(row: MeetingRow): MeetingRecord {
  return {
    id: row.id,
    networkId: row.network_id,
    title: row.title,
    scheduledAt: row.scheduled_at ?? row.created_at,
    status: row.status === 'live' || row.status === 'ended' ? row.status : 'scheduled',
    createdAt: row.created_at,
    endedAt: optionalString(row.ended_at),
  };
}
