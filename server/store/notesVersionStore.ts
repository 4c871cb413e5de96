import type { DatabaseSync, SQLOutputValue } from 'node:sqlite';
import type { NotesVersionKind } from '../../shared/api/notesHistory.ts';
import { NOTES_VERSION_KINDS } from '../../shared/api/notesHistory.ts';


/** A version of a meeting's notes as stored (see migration 11). */
export interface NotesVersionRecord {
  id: string;
  meetingId: string;
  seq: number;
  kind: NotesVersionKind;
  createdAt: string;
  /** Ticket subjects (`user:<id>`, `invite:<id>`) of whoever made the change; ids only. */
  authors: string[];
  words: number;
  chars: number;
  contentHash: string;
  relatedId: string | undefined;
  removedWords: number | undefined;
}

export type NewNotesVersion = Omit<NotesVersionRecord, 'seq'> & { content: Uint8Array };

/**
 * The versions of meetings' notes. The notes as they were before a large deletion must be committed before
 * the deletion itself is written to the document store (and so before anyone's client acknowledges it): the
 * recorder holds the document's writes until its `add` has settled (see SyncDocument.holdWrites), whichever
 * engine the store is on. (On SQLite the insert is committed within the call, before it returns.)
 */
export interface NotesVersionStore {
  /**
   * Adds a version as the meeting's next (seq one above its newest) and commits it before resolving, unless
   * the meeting has ended and the version is not the sealing one (`sealed`), or the meeting does not exist:
   * then undefined.
   */
  add(version: NewNotesVersion): Promise<NotesVersionRecord | undefined>;
  /** Newest first: up to `limit` versions with seq below `before`. */
  page(meetingId: string, before: number, limit: number): Promise<NotesVersionRecord[]>;
  count(meetingId: string): Promise<number>;
  byId(id: string): Promise<NotesVersionRecord | undefined>;
  content(id: string): Promise<Uint8Array | undefined>;
  /** The newest version with that content, if any (to tell a restore from an ordinary edit). */
  newestWithHash(meetingId: string, contentHash: string): Promise<NotesVersionRecord | undefined>;
  newest(meetingId: string): Promise<NotesVersionRecord | undefined>;
  /** The newest version holding words, and the first one after it (if any). */
  lastWritten(meetingId: string): Promise<{ written: NotesVersionRecord; next: NotesVersionRecord | undefined } | undefined>;
}

export const NOTES_VERSION_COLUMNS = 'id, meeting_id, seq, kind, created_at, authors, words, chars, content_hash, related_id, removed_words';

export function createSqliteNotesVersionStore(db: DatabaseSync): NotesVersionStore {
  // One statement: the seq and the "not ended" check cannot race another writer between a read and the write.
  const insert = db.prepare(`
    INSERT INTO notes_versions (id, meeting_id, seq, kind, created_at, authors, words, chars, content_hash, content, related_id, removed_words)
    SELECT ?, id, (SELECT COALESCE(MAX(seq), 0) + 1 FROM notes_versions WHERE meeting_id = meetings.id), ?, ?, ?, ?, ?, ?, ?, ?, ?
    FROM meetings WHERE id = ? AND (ended_at IS NULL OR ? = 'sealed')
    RETURNING ${NOTES_VERSION_COLUMNS}`);
  const page = db.prepare(`SELECT ${NOTES_VERSION_COLUMNS} FROM notes_versions WHERE meeting_id = ? AND seq < ? ORDER BY seq DESC LIMIT ?`);
  const count = db.prepare('SELECT COUNT(*) AS n FROM notes_versions WHERE meeting_id = ?');
  const byId = db.prepare(`SELECT ${NOTES_VERSION_COLUMNS} FROM notes_versions WHERE id = ?`);
  const content = db.prepare('SELECT content FROM notes_versions WHERE id = ?');
  const byHash = db.prepare(`SELECT ${NOTES_VERSION_COLUMNS} FROM notes_versions WHERE meeting_id = ? AND content_hash = ? ORDER BY seq DESC LIMIT 1`);
  const newest = db.prepare(`SELECT ${NOTES_VERSION_COLUMNS} FROM notes_versions WHERE meeting_id = ? ORDER BY seq DESC LIMIT 1`);
  const lastWritten = db.prepare(`SELECT ${NOTES_VERSION_COLUMNS} FROM notes_versions WHERE meeting_id = ? AND words > 0 ORDER BY seq DESC LIMIT 1`);
  const after = db.prepare(`SELECT ${NOTES_VERSION_COLUMNS} FROM notes_versions WHERE meeting_id = ? AND seq > ? ORDER BY seq LIMIT 1`);
  const one = (row: Record<string, SQLOutputValue> | undefined) => (row ? toNotesVersionRecord(row) : undefined);
  return {
    // No await before the insert: it is committed within the call (fillHistory in the tests relies on it).
    async add(v) {
      const row = insert.get(v.id, v.kind, v.createdAt, JSON.stringify(v.authors), v.words, v.chars, v.contentHash, v.content, v.relatedId ?? null, v.removedWords ?? null, v.meetingId, v.kind);
      return one(row);
    },
    async page(meetingId, before, limit) {
      return page.all(meetingId, before, limit).map(toNotesVersionRecord);
    },
    async count(meetingId) {
      return Number(count.get(meetingId)?.['n'] ?? 0);
    },
    byId: async (id) => one(byId.get(id)),
    async content(id) {
      const value = content.get(id)?.['content'];
      return value instanceof Uint8Array ? value : undefined;
    },
    newestWithHash: async (meetingId, hash) => one(byHash.get(meetingId, hash)),
    newest: async (meetingId) => one(newest.get(meetingId)),
    async lastWritten(meetingId) {
      const written = one(lastWritten.get(meetingId));
      return written ? { written, next: one(after.get(meetingId, written.seq)) } : undefined;
    },
  };
}

/** A row of either engine as a record (PostgreSQL's columns read back as the same strings and numbers). */
export function toNotesVersionRecord(row: Record<string, unknown>): NotesVersionRecord {
  const kind = NOTES_VERSION_KINDS.find((k) => k === row['kind']);
  if (!kind) throw new TypeError('unknown notes version kind');
  const authors: unknown = JSON.parse(String(row['authors']));
  const removed = row['removed_words'];
  return {
    id: String(row['id']),
    meetingId: String(row['meeting_id']),
    seq: Number(row['seq']),
    kind,
    createdAt: String(row['created_at']),
    authors: Array.isArray(authors) ? authors.filter((a): a is string => typeof a === 'string') : [],
    words: Number(row['words']),
    chars: Number(row['chars']),
    contentHash: String(row['content_hash']),
    relatedId: typeof row['related_id'] === 'string' ? row['related_id'] : undefined,
    removedWords: removed === null || removed === undefined ? undefined : Number(removed),
  };
}
