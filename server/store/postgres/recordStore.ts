import type { Sql } from './sql.ts';
import type { ParticipantRole } from '../../../shared/api/roles.ts';
import type { AddendumRecord, RecordStore, ScheduleRecord } from '../recordStore.ts';
import { optionalString } from './sql.ts';
import { atomically } from './transaction.ts';

interface ScheduleRow {
  meeting_id: string;
  series_id: string | null;
  duration_minutes: number;
  sequence: number;
}

interface AddendumRow {
  id: string;
  meeting_id: string;
  network_id: string;
  author_kind: string;
  author_id: string;
  author_name: string;
  author_role: string;
  text: string;
  created_at: string;
}

export function createPostgresRecordStore(pool: Sql): RecordStore {
  return {
    async setSchedule(s) {
      await pool.query(
        `INSERT INTO meeting_schedule (meeting_id, series_id, duration_minutes, sequence) VALUES ($1, $2, $3, $4)
         ON CONFLICT (meeting_id) DO UPDATE SET series_id = excluded.series_id, duration_minutes = excluded.duration_minutes, sequence = excluded.sequence`,
        [s.meetingId, s.seriesId ?? null, s.durationMinutes, s.sequence],
      );
    },
    async schedules(meetingIds) {
      const result = await pool.query<ScheduleRow>('SELECT * FROM meeting_schedule WHERE meeting_id = ANY($1::text[])', [meetingIds]);
      return new Map(result.rows.map((row) => [row.meeting_id, toSchedule(row)]));
    },
    // The sequence is raised by one UPDATE … RETURNING, which locks the row: two instances moving one meeting
    // at once get two different sequences, as calendars need.
    reschedule: (meetingId, scheduledAt) =>
      atomically(pool, async (client) => {
        await client.query('UPDATE meetings SET scheduled_at = $1 WHERE id = $2', [scheduledAt, meetingId]);
        await client.query('INSERT INTO meeting_schedule (meeting_id) VALUES ($1) ON CONFLICT (meeting_id) DO NOTHING', [meetingId]);
        const bumped = await client.query<{ sequence: number }>('UPDATE meeting_schedule SET sequence = sequence + 1 WHERE meeting_id = $1 RETURNING sequence', [meetingId]);
        return Number(bumped.rows[0]?.sequence ?? 0);
      }),
    async addAddendum(a) {
      await pool.query(
        `INSERT INTO meeting_addenda (id, meeting_id, network_id, author_kind, author_id, author_name, author_role, text, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [a.id, a.meetingId, a.networkId, a.authorKind, a.authorId, a.authorName, a.authorRole, a.text, a.createdAt],
      );
    },
    async addenda(meetingId) {
      const result = await pool.query<AddendumRow>('SELECT * FROM meeting_addenda WHERE meeting_id = $1 ORDER BY created_at COLLATE "C", id COLLATE "C"', [meetingId]);
      return result.rows.map(
        (row): AddendumRecord => ({
          id: row.id,
          meetingId: row.meeting_id,
          networkId: row.network_id,
          authorKind: row.author_kind === 'member' ? 'member' : 'user',
          authorId: row.author_id,
          authorName: row.author_name,
          authorRole: row.author_role as ParticipantRole,
          text: row.text,
          createdAt: row.created_at,
        }),
      );
    },
    async closeNetwork(networkId, at) {
      await pool.query('INSERT INTO network_closures (network_id, closed_at) VALUES ($1, $2) ON CONFLICT (network_id) DO NOTHING', [networkId, at]);
    },
    async closedAt(networkId) {
      return optionalString((await pool.query<{ closed_at: string }>('SELECT closed_at FROM network_closures WHERE network_id = $1', [networkId])).rows[0]?.closed_at);
    },
    async closedBefore(before) {
      const result = await pool.query<{ network_id: string }>('SELECT network_id FROM network_closures WHERE closed_at <= $1 ORDER BY closed_at', [before]);
      return result.rows.map((row) => row.network_id);
    },
  };
}

function toSchedule(row: ScheduleRow): ScheduleRecord {
  return { meetingId: row.meeting_id, seriesId: optionalString(row.series_id), durationMinutes: row.duration_minutes, sequence: row.sequence };
}
