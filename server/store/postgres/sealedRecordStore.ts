import type { SealedRecordStore } from '../sealedRecordStore.ts';
import type { Sql } from './sql.ts';

export function createPostgresSealedRecordStore(sql: Sql): SealedRecordStore {
  return {
    async get(meetingId) {
      const row = (
        await sql.query<{ meeting_id: string; network_id: string; sealed_at: string; format: number; content: string }>('SELECT * FROM sealed_records WHERE meeting_id = $1', [meetingId])
      ).rows[0];
      return row && { meetingId: row.meeting_id, networkId: row.network_id, sealedAt: row.sealed_at, format: row.format, content: row.content };
    },
    // DO NOTHING: the first sealing wins, also when two instances seal at once.
    async put(r) {
      const result = await sql.query(
        'INSERT INTO sealed_records (meeting_id, network_id, sealed_at, format, content) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (meeting_id) DO NOTHING',
        [r.meetingId, r.networkId, r.sealedAt, r.format, r.content],
      );
      return result.rowCount === 1;
    },
    async endedWithoutSeal() {
      const result = await sql.query<{ id: string }>(
        `SELECT id FROM meetings WHERE status = 'ended' AND network_id IS NOT NULL
           AND NOT EXISTS (SELECT 1 FROM sealed_records WHERE meeting_id = meetings.id) ORDER BY ended_at`,
      );
      return result.rows.map((row) => row.id);
    },
  };
}
