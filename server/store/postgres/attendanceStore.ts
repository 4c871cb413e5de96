import type { AttendanceStore } from '../attendanceStore.ts';
import type { Sql } from './sql.ts';

export function createPostgresAttendanceStore(sql: Sql): AttendanceStore {
  return {
    async add(e, receivedAt) {
      // LiveKit stamps whole seconds: an event in the second the meeting ended counts as after the end
      // (left(…, 19) is SQLite's strftime('%Y-%m-%dT%H:%M:%S') of an ISO time). FOR SHARE: an end being
      // committed meanwhile is waited for and then seen, so it cannot slip between the check and the write.
      const inserted = await sql.query(
        `INSERT INTO attendance (event_id, meeting_id, identity, kind, at, received_at)
         SELECT $1, id, $2, $3, $4, $5 FROM meetings
         WHERE id = $6 AND (ended_at IS NULL OR $7 < left(ended_at, 19)) FOR SHARE
         ON CONFLICT (event_id) DO NOTHING`,
        [e.eventId, e.identity, e.kind, e.at, receivedAt, e.meetingId, e.at.slice(0, 19)],
      );
      if (inserted.rowCount === 1) return 'recorded';
      return ((await sql.query('SELECT 1 FROM attendance WHERE event_id = $1', [e.eventId])).rowCount ?? 0) > 0 ? 'duplicate' : 'after_end';
    },
    async forMeeting(meetingId) {
      const result = await sql.query<{ event_id: string; meeting_id: string; identity: string; kind: string; at: string }>(
        'SELECT * FROM attendance WHERE meeting_id = $1 ORDER BY at, received_at',
        [meetingId],
      );
      return result.rows.map((row) => ({
        eventId: row.event_id,
        meetingId: row.meeting_id,
        identity: row.identity,
        kind: row.kind === 'left' ? 'left' : 'joined',
        at: row.at,
      }));
    },
  };
}
