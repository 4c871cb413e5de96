import type { DatabaseSync } from 'node:sqlite';

/** One participant event of a meeting's video, as LiveKit stamped it. Ids only, never a name. */
export interface AttendanceEvent {
  /** LiveKit's event id: the same on every retry of one webhook. */
  eventId: string;
  meetingId: string;
  /** `user-<id>` or `member-<id>` (see shared/media/rooms.ts). */
  identity: string;
  kind: 'joined' | 'left';
  /** LiveKit's time stamp of the event (ISO 8601). */
  at: string;
}

export interface AttendanceStore {
  /**
   * Records the event unless its id was recorded before (`duplicate`: a retried webhook) or the meeting had
   * ended by its time stamp (`after_end`, compared with ended_at in the same statement, so an end racing the
   * webhook cannot slip between a check and the write). `after_end` also when the meeting does not exist.
   */
  add(event: AttendanceEvent, receivedAt: string): Promise<'recorded' | 'duplicate' | 'after_end'>;
  /** A meeting's events in LiveKit's time order. */
  forMeeting(meetingId: string): Promise<AttendanceEvent[]>;
}

export function createSqliteAttendanceStore(db: DatabaseSync): AttendanceStore {
  // LiveKit stamps whole seconds: an event in the second the meeting ended counts as after the end.
  const insert = db.prepare(`
    INSERT OR IGNORE INTO attendance (event_id, meeting_id, identity, kind, at, received_at)
    SELECT ?, id, ?, ?, ?, ? FROM meetings
    WHERE id = ? AND (ended_at IS NULL OR ? < strftime('%Y-%m-%dT%H:%M:%S', ended_at))`);
  const exists = db.prepare('SELECT 1 FROM attendance WHERE event_id = ?');
  const forMeeting = db.prepare('SELECT * FROM attendance WHERE meeting_id = ? ORDER BY at, received_at');
  return {
    async add(e, receivedAt) {
      const atSecond = e.at.slice(0, 19);
      if (Number(insert.run(e.eventId, e.identity, e.kind, e.at, receivedAt, e.meetingId, atSecond).changes) === 1) return 'recorded';
      return exists.get(e.eventId) ? 'duplicate' : 'after_end';
    },
    async forMeeting(meetingId) {
      return forMeeting.all(meetingId).map((row) => ({
        eventId: String(row['event_id']),
        meetingId: String(row['meeting_id']),
        identity: String(row['identity']),
        kind: row['kind'] === 'left' ? 'left' : 'joined',
        at: String(row['at']),
      }));
    },
  };
}
