import type { DatabaseSync, SQLOutputValue } from 'node:sqlite';
import { optionalText } from './transaction.ts';

export type MeetingStatus = 'scheduled' | 'live' | 'ended';

/** A meeting of one network. */
export interface MeetingRecord {
  id: string;
  networkId: string;
  title: string;
  scheduledAt: string;
  status: MeetingStatus;
  createdAt: string;
  endedAt: string | undefined;
}

/** Meetings in the SQL store. Async so that a PostgreSQL implementation can stand behind the same shape. */
export interface MeetingStore {
  create(meeting: MeetingRecord): Promise<void>;
  get(id: string): Promise<MeetingRecord | undefined>;
  listForNetwork(networkId: string): Promise<MeetingRecord[]>;
  setStatus(id: string, status: MeetingStatus, at: string): Promise<void>;
}

/** {@link MeetingStore} on SQLite. Rows from before networks existed (no network) are never returned. */
export function createSqliteMeetingStore(db: DatabaseSync): MeetingStore {
  const insert = db.prepare(
    'INSERT INTO meetings (id, network_id, title, scheduled_at, status, created_at) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const select = db.prepare('SELECT * FROM meetings WHERE id = ? AND network_id IS NOT NULL');
  const list = db.prepare('SELECT * FROM meetings WHERE network_id = ? ORDER BY scheduled_at');
  // The first end time stays: two ends racing each other (the API and the ops CLI) leave the first one's.
  const status = db.prepare('UPDATE meetings SET status = ?, ended_at = CASE WHEN ? = \'ended\' THEN COALESCE(ended_at, ?) ELSE ended_at END WHERE id = ?');
  return {
    async create(m) {
      insert.run(m.id, m.networkId, m.title, m.scheduledAt, m.status, m.createdAt);
    },
    async get(id) {
      const row = select.get(id);
      return row ? toMeeting(row) : undefined;
    },
    async listForNetwork(networkId) {
      return list.all(networkId).map(toMeeting);
    },
    async setStatus(id, next, at) {
      status.run(next, next, at, id);
    },
  };
}

function toMeeting(row: Record<string, SQLOutputValue>): MeetingRecord {
  return {
    id: String(row['id']),
    networkId: String(row['network_id']),
    title: String(row['title']),
    scheduledAt: String(row['scheduled_at'] ?? row['created_at']),
    status: row['status'] === 'live' || row['status'] === 'ended' ? row['status'] : 'scheduled',
    createdAt: String(row['created_at']),
    endedAt: optionalText(row['ended_at']),
  };
}
