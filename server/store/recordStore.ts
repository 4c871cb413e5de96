import type { DatabaseSync, SQLOutputValue } from 'node:sqlite';
import type { ParticipantRole } from '../../shared/api/roles.ts';
import { optionalText, transaction } from './transaction.ts';

/** How long a meeting is planned to last, its series and its calendar revision. */
export interface ScheduleRecord {
  meetingId: string;
  seriesId: string | undefined;
  durationMinutes: number;
  /** iCalendar SEQUENCE: 0 when first sent, one more for each change of time. */
  sequence: number;
}

/** Something added to a sealed meeting record. */
export interface AddendumRecord {
  id: string;
  meetingId: string;
  networkId: string;
  authorKind: 'user' | 'member';
  authorId: string;
  authorName: string;
  authorRole: ParticipantRole;
  text: string;
  createdAt: string;
}

/** Schedules, addenda and the ends of meetings and networks: what continuity and the record need. */
export interface RecordStore {
  setSchedule(schedule: ScheduleRecord): Promise<void>;
  /** Schedules of the given meetings (meetings made before scheduling existed have none). */
  schedules(meetingIds: readonly string[]): Promise<Map<string, ScheduleRecord>>;
  /** Moves a meeting and raises its calendar sequence, in one transaction. Returns the new sequence. */
  reschedule(meetingId: string, scheduledAt: string): Promise<number>;
  addAddendum(addendum: AddendumRecord): Promise<void>;
  addenda(meetingId: string): Promise<AddendumRecord[]>;
  closeNetwork(networkId: string, at: string): Promise<void>;
  closedAt(networkId: string): Promise<string | undefined>;
  /** Networks closed at or before `before`. */
  closedBefore(before: string): Promise<string[]>;
}

export function createSqliteRecordStore(db: DatabaseSync): RecordStore {
  const upsertSchedule = db.prepare(
    `INSERT INTO meeting_schedule (meeting_id, series_id, duration_minutes, sequence) VALUES (?, ?, ?, ?)
     ON CONFLICT (meeting_id) DO UPDATE SET series_id = excluded.series_id, duration_minutes = excluded.duration_minutes, sequence = excluded.sequence`,
  );
  const schedule = db.prepare('SELECT * FROM meeting_schedule WHERE meeting_id = ?');
  const moveMeeting = db.prepare('UPDATE meetings SET scheduled_at = ? WHERE id = ?');
  const ensureSchedule = db.prepare('INSERT INTO meeting_schedule (meeting_id) VALUES (?) ON CONFLICT (meeting_id) DO NOTHING');
  const bump = db.prepare('UPDATE meeting_schedule SET sequence = sequence + 1 WHERE meeting_id = ? RETURNING sequence');
  const insertAddendum = db.prepare(
    `INSERT INTO meeting_addenda (id, meeting_id, network_id, author_kind, author_id, author_name, author_role, text, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const addenda = db.prepare('SELECT * FROM meeting_addenda WHERE meeting_id = ? ORDER BY created_at, id');
  const close = db.prepare('INSERT INTO network_closures (network_id, closed_at) VALUES (?, ?) ON CONFLICT (network_id) DO NOTHING');
  const closed = db.prepare('SELECT closed_at FROM network_closures WHERE network_id = ?');
  const closedBefore = db.prepare('SELECT network_id FROM network_closures WHERE closed_at <= ? ORDER BY closed_at');

  return {
    async setSchedule(s) {
      upsertSchedule.run(s.meetingId, s.seriesId ?? null, s.durationMinutes, s.sequence);
    },
    async schedules(meetingIds) {
      const found = new Map<string, ScheduleRecord>();
      for (const id of meetingIds) {
        const row = schedule.get(id);
        if (row) found.set(id, toSchedule(row));
      }
      return found;
    },
    async reschedule(meetingId, scheduledAt) {
      return transaction(db, () => {
        moveMeeting.run(scheduledAt, meetingId);
        ensureSchedule.run(meetingId);
        return Number(bump.get(meetingId)?.['sequence'] ?? 0);
      });
    },
    async addAddendum(a) {
      insertAddendum.run(a.id, a.meetingId, a.networkId, a.authorKind, a.authorId, a.authorName, a.authorRole, a.text, a.createdAt);
    },
    async addenda(meetingId) {
      return addenda.all(meetingId).map((row) => ({
        id: String(row['id']),
        meetingId: String(row['meeting_id']),
        networkId: String(row['network_id']),
        authorKind: row['author_kind'] === 'member' ? 'member' : 'user',
        authorId: String(row['author_id']),
        authorName: String(row['author_name']),
        authorRole: String(row['author_role']) as ParticipantRole,
        text: String(row['text']),
        createdAt: String(row['created_at']),
      }));
    },
    async closeNetwork(networkId, at) {
      close.run(networkId, at);
    },
    async closedAt(networkId) {
      return optionalText(closed.get(networkId)?.['closed_at']);
    },
    async closedBefore(before) {
      return closedBefore.all(before).map((row) => String(row['network_id']));
    },
  };
}

function toSchedule(row: Record<string, SQLOutputValue>): ScheduleRecord {
  return {
    meetingId: String(row['meeting_id']),
    seriesId: optionalText(row['series_id']),
    durationMinutes: Number(row['duration_minutes']),
    sequence: Number(row['sequence']),
  };
}
