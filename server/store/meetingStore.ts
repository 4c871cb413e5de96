import type { DatabaseSync } from 'node:sqlite';

/** A meeting row. */
export interface MeetingRecord {
  id: string;
  title: string;
  createdAt: string;
}

/** Meetings in the SQL store. Async so that a PostgreSQL implementation can stand behind the same shape. */
export interface MeetingStore {
  create(meeting: MeetingRecord): Promise<void>;
  get(id: string): Promise<MeetingRecord | undefined>;
}

/** {@link MeetingStore} on SQLite. */
export function createSqliteMeetingStore(db: DatabaseSync): MeetingStore {
  const insert = db.prepare('INSERT INTO meetings (id, title, created_at) VALUES (?, ?, ?)');
  const select = db.prepare('SELECT id, title, created_at FROM meetings WHERE id = ?');
  return {
    async create(meeting) {
      insert.run(meeting.id, meeting.title, meeting.createdAt);
    },
    async get(id) {
      const row = select.get(id);
      if (!row) return undefined;
      return { id: String(row['id']), title: String(row['title']), createdAt: String(row['created_at']) };
    },
  };
}
