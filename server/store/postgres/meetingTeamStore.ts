import type { MeetingTeamStore } from '../meetingTeamStore.ts';
import type { Sql } from './sql.ts';
import { atomically } from './transaction.ts';

/**
 * {@link MeetingTeamStore} on PostgreSQL. `set` runs in a transaction of its own (see
 * {@link replaceMeetingTeam} for a caller already in one), so it is not among the unit of work's stores.
 */
export function createPostgresMeetingTeamStore(pool: Sql): MeetingTeamStore {
  return {
    set: (meetingId, userIds) => atomically(pool, (client) => replaceMeetingTeam(client, meetingId, userIds)),
    async forMeetings(meetingIds) {
      const result = await pool.query<{ meeting_id: string; user_id: string }>(
        'SELECT meeting_id, user_id FROM meeting_team WHERE meeting_id = ANY($1::text[]) ORDER BY chosen_order',
        [meetingIds],
      );
      const byMeeting = new Map<string, string[]>();
      for (const row of result.rows) byMeeting.set(row.meeting_id, [...(byMeeting.get(row.meeting_id) ?? []), row.user_id]);
      // In the order the meetings were asked for, as on SQLite.
      const chosen = new Map<string, string[]>();
      for (const meetingId of meetingIds) {
        const ids = byMeeting.get(meetingId);
        if (ids) chosen.set(meetingId, ids);
      }
      return chosen;
    },
  };
}

/**
 * The statements of {@link MeetingTeamStore.set}, for `sql` already in a transaction: the meeting's choice
 * replaced by `userIds` (repeats after the first dropped, as SQLite's INSERT OR IGNORE does).
 *
 * SQLite's single writer makes delete-then-insert one step. Here two instances choosing at once would, under
 * READ COMMITTED, each delete only the rows they saw and leave a mix of both choices (or fail on a key
 * both insert), so every replacement first locks the meeting's row: the second waits for the first to commit,
 * and its DELETE, a new statement, then sees and removes the first one's rows. The last choice wins whole.
 * FOR NO KEY UPDATE does not block inserts elsewhere that reference the meeting (they take KEY SHARE).
 */
export async function replaceMeetingTeam(sql: Sql, meetingId: string, userIds: readonly string[]): Promise<void> {
  await sql.query('SELECT 1 FROM meetings WHERE id = $1 FOR NO KEY UPDATE', [meetingId]);
  await sql.query('DELETE FROM meeting_team WHERE meeting_id = $1', [meetingId]);
  const unique = [...new Set(userIds)];
  if (unique.length === 0) return;
  // chosen_order: the position in the choice, since PostgreSQL has no rowid to read the rows back in order.
  await sql.query(
    'INSERT INTO meeting_team (meeting_id, user_id, chosen_order) SELECT $1, user_id, ord FROM unnest($2::text[]) WITH ORDINALITY AS chosen(user_id, ord)',
    [meetingId, unique],
  );
}
