import type { DatabaseSync } from 'node:sqlite';
import { transaction } from './transaction.ts';

/** The team members chosen to come to each meeting. A meeting nobody was chosen for has no entry. */
export interface MeetingTeamStore {
  /** Replaces the choice for one meeting; an empty list removes it (the network's team comes). */
  set(meetingId: string, userIds: readonly string[]): Promise<void>;
  /** The chosen user ids of each meeting that has a choice, in the order they were chosen. */
  forMeetings(meetingIds: readonly string[]): Promise<Map<string, string[]>>;
}

/** {@link MeetingTeamStore} on SQLite (table `meeting_team`, migration 15). */
export function createSqliteMeetingTeamStore(db: DatabaseSync): MeetingTeamStore {
  const clear = db.prepare('DELETE FROM meeting_team WHERE meeting_id = ?');
  const insert = db.prepare('INSERT OR IGNORE INTO meeting_team (meeting_id, user_id) VALUES (?, ?)');
  const select = db.prepare('SELECT user_id FROM meeting_team WHERE meeting_id = ? ORDER BY rowid');
  return {
    async set(meetingId, userIds) {
      transaction(db, () => {
        clear.run(meetingId);
        for (const userId of userIds) insert.run(meetingId, userId);
      });
    },
    async forMeetings(meetingIds) {
      const chosen = new Map<string, string[]>();
      for (const meetingId of meetingIds) {
        const ids = select.all(meetingId).map((row) => String(row['user_id']));
        if (ids.length > 0) chosen.set(meetingId, ids);
      }
      return chosen;
    },
  };
}
