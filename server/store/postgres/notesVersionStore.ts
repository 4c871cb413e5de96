import { NOTES_VERSION_COLUMNS, toNotesVersionRecord, type NotesVersionRecord, type NotesVersionStore } from '../notesVersionStore.ts';
import type { Sql } from './sql.ts';
import { atomically } from './transaction.ts';

/**
 * {@link NotesVersionStore} on PostgreSQL. Several instances may keep versions of one meeting (its document
 * moved between them), so `add` locks the meeting's row first (FOR NO KEY UPDATE): versions of a meeting are numbered one at a
 * time (MAX(seq)+1 is safe under that lock, and the unique (meeting_id, seq) would refuse a race anyway),
 * and an end of the meeting committed before is seen (each statement of READ COMMITTED sees it once the
 * lock is held), so no ordinary version follows the sealing one.
 */
export function createPostgresNotesVersionStore(pool: Sql): NotesVersionStore {
  const first = async (sql: Sql, text: string, values: unknown[]): Promise<NotesVersionRecord | undefined> => {
    const row = (await sql.query(text, values)).rows[0];
    return row ? toNotesVersionRecord(row) : undefined;
  };
  return {
    add: (v) =>
      atomically(pool, async (client) => {
        // NO KEY UPDATE, not UPDATE: it serialises adds and waits for an end in flight (and for appends of the
        // document, which share-lock the row), but not for inserts that only reference the meeting (key share).
        const meeting = await client.query("SELECT 1 FROM meetings WHERE id = $1 AND (ended_at IS NULL OR $2::text = 'sealed') FOR NO KEY UPDATE", [v.meetingId, v.kind]);
        if (!meeting.rowCount) return undefined;
        return first(
          client,
          `INSERT INTO notes_versions (id, meeting_id, seq, kind, created_at, authors, words, chars, content_hash, content, related_id, removed_words)
           SELECT $1, $2, COALESCE(MAX(seq), 0) + 1, $3, $4, $5, $6, $7, $8, $9, $10, $11 FROM notes_versions WHERE meeting_id = $2
           RETURNING ${NOTES_VERSION_COLUMNS}`,
          [v.id, v.meetingId, v.kind, v.createdAt, JSON.stringify(v.authors), v.words, v.chars, v.contentHash, v.content, v.relatedId ?? null, v.removedWords ?? null],
        );
      }),
    // bigint: the service asks for everything below Number.MAX_SAFE_INTEGER, beyond the integer column.
    async page(meetingId, before, limit) {
      const result = await pool.query(`SELECT ${NOTES_VERSION_COLUMNS} FROM notes_versions WHERE meeting_id = $1 AND seq < $2::bigint ORDER BY seq DESC LIMIT $3`, [meetingId, before, limit]);
      return result.rows.map(toNotesVersionRecord);
    },
    async count(meetingId) {
      const result = await pool.query<{ n: string }>('SELECT COUNT(*) AS n FROM notes_versions WHERE meeting_id = $1', [meetingId]);
      return Number(result.rows[0]?.n ?? 0);
    },
    byId: (id) => first(pool, `SELECT ${NOTES_VERSION_COLUMNS} FROM notes_versions WHERE id = $1`, [id]),
    async content(id) {
      const row = (await pool.query<{ content: Buffer }>('SELECT content FROM notes_versions WHERE id = $1', [id])).rows[0];
      return row ? new Uint8Array(row.content.buffer, row.content.byteOffset, row.content.byteLength) : undefined;
    },
    newestWithHash: (meetingId, hash) =>
      first(pool, `SELECT ${NOTES_VERSION_COLUMNS} FROM notes_versions WHERE meeting_id = $1 AND content_hash = $2 ORDER BY seq DESC LIMIT 1`, [meetingId, hash]),
    newest: (meetingId) => first(pool, `SELECT ${NOTES_VERSION_COLUMNS} FROM notes_versions WHERE meeting_id = $1 ORDER BY seq DESC LIMIT 1`, [meetingId]),
    async lastWritten(meetingId) {
      const written = await first(pool, `SELECT ${NOTES_VERSION_COLUMNS} FROM notes_versions WHERE meeting_id = $1 AND words > 0 ORDER BY seq DESC LIMIT 1`, [meetingId]);
      if (!written) return undefined;
      const next = await first(pool, `SELECT ${NOTES_VERSION_COLUMNS} FROM notes_versions WHERE meeting_id = $1 AND seq > $2 ORDER BY seq LIMIT 1`, [meetingId, written.seq]);
      return { written, next };
    },
  };
}
