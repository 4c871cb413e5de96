import type { DatabaseSync } from 'node:sqlite';

/** The frozen content of an ended meeting's record, as stored at sealing. */
export interface SealedRecordRow {
  meetingId: string;
  networkId: string;
  sealedAt: string;
  /** The shape `content` was written in (see SEALED_RECORD_FORMAT in server/services/records.ts). */
  format: number;
  /** The record without its addenda, as JSON text. */
  content: string;
}

/** Records frozen at sealing. A row is written once and never changed; it goes with its network. */
export interface SealedRecordStore {
  get(meetingId: string): Promise<SealedRecordRow | undefined>;
  /** Stores the row unless the meeting already has one (the first sealing wins). True when it was stored. */
  put(row: SealedRecordRow): Promise<boolean>;
  /** Ended meetings without a frozen record: ended before records were frozen, or a crash in between. */
  endedWithoutSeal(): Promise<string[]>;
}

export function createSqliteSealedRecordStore(db: DatabaseSync): SealedRecordStore {
  const select = db.prepare('SELECT * FROM sealed_records WHERE meeting_id = ?');
  const insert = db.prepare(
    'INSERT INTO sealed_records (meeting_id, network_id, sealed_at, format, content) VALUES (?, ?, ?, ?, ?) ON CONFLICT (meeting_id) DO NOTHING',
  );
  const unsealed = db.prepare(
    `SELECT id FROM meetings WHERE status = 'ended' AND network_id IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM sealed_records WHERE meeting_id = meetings.id) ORDER BY ended_at`,
  );
  return {
    async get(meetingId) {
      const row = select.get(meetingId);
      if (!row) return undefined;
      return {
        meetingId: String(row['meeting_id']),
        networkId: String(row['network_id']),
        sealedAt: String(row['sealed_at']),
        format: Number(row['format']),
        content: String(row['content']),
      };
    },
    async put(r) {
      return Number(insert.run(r.meetingId, r.networkId, r.sealedAt, r.format, r.content).changes) === 1;
    },
    async endedWithoutSeal() {
      return unsealed.all().map((row) => String(row['id']));
    },
  };
}
