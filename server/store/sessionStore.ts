import type { DatabaseSync, SQLOutputValue } from 'node:sqlite';
import { optionalText } from './transaction.ts';

/** A team member's login session, found by the hash of its token; `id` is the public handle admins see. */
export interface SessionRecord {
  id: string;
  tokenHash: string;
  userId: string;
  createdAt: string;
  expiresAt: string;
  lastSeenAt: string;
  /** The browser's user agent, truncated; shown to admins to tell sessions apart. */
  userAgent: string | undefined;
  /** The client address at login (the real one behind a trusted proxy). */
  address: string | undefined;
}

export interface SessionStore {
  create(session: SessionRecord): Promise<void>;
  /** The session if it exists and has not expired at `now`. */
  find(tokenHash: string, now: Date): Promise<SessionRecord | undefined>;
  /** Records use; a no-op unless the stored last-seen time is before `olderThan` (so it is not written per request). */
  touch(tokenHash: string, at: string, olderThan: string): Promise<void>;
  /** The user's live sessions, most recently used first. */
  listForUser(userId: string, now: Date): Promise<SessionRecord[]>;
  delete(tokenHash: string): Promise<void>;
  /** Whether the session with this public id exists and has not expired at `now`. */
  isLive(id: string, now: Date): Promise<boolean>;
  /** Ends one session of the user; false if the user has no session with that id. */
  deleteById(userId: string, id: string): Promise<boolean>;
  /** Ends every session of the user except `keepTokenHash`; returns how many ended. */
  deleteForUser(userId: string, keepTokenHash?: string): Promise<number>;
}

export function createSqliteSessionStore(db: DatabaseSync): SessionStore {
  const insert = db.prepare(
    `INSERT INTO sessions (id, token_hash, user_id, created_at, expires_at, last_seen_at, user_agent, address)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const select = db.prepare('SELECT * FROM sessions WHERE token_hash = ? AND expires_at > ?');
  const touch = db.prepare('UPDATE sessions SET last_seen_at = ? WHERE token_hash = ? AND last_seen_at < ?');
  const forUser = db.prepare('SELECT * FROM sessions WHERE user_id = ? AND expires_at > ? ORDER BY last_seen_at DESC');
  const remove = db.prepare('DELETE FROM sessions WHERE token_hash = ?');
  const liveById = db.prepare('SELECT 1 FROM sessions WHERE id = ? AND expires_at > ?');
  const removeById = db.prepare('DELETE FROM sessions WHERE user_id = ? AND id = ?');
  const removeForUser = db.prepare('DELETE FROM sessions WHERE user_id = ? AND token_hash <> ?');
  const purge = db.prepare('DELETE FROM sessions WHERE expires_at <= ?');
  return {
    async create(s) {
      // Expired sessions are cleared as new ones are made, so the table never grows without bound.
      purge.run(s.createdAt);
      insert.run(s.id, s.tokenHash, s.userId, s.createdAt, s.expiresAt, s.lastSeenAt, s.userAgent ?? null, s.address ?? null);
    },
    async find(tokenHash, now) {
      return toSession(select.get(tokenHash, now.toISOString()));
    },
    async touch(tokenHash, at, olderThan) {
      touch.run(at, tokenHash, olderThan);
    },
    async listForUser(userId, now) {
      return forUser.all(userId, now.toISOString()).flatMap((row) => toSession(row) ?? []);
    },
    async delete(tokenHash) {
      remove.run(tokenHash);
    },
    async isLive(id, now) {
      return liveById.get(id, now.toISOString()) !== undefined;
    },
    async deleteById(userId, id) {
      return removeById.run(userId, id).changes > 0;
    },
    async deleteForUser(userId, keepTokenHash) {
      return Number(removeForUser.run(userId, keepTokenHash ?? '').changes);
    },
  };
}

function toSession(row: Record<string, SQLOutputValue> | undefined): SessionRecord | undefined {
  if (!row) return undefined;
  const createdAt = String(row['created_at']);
  return {
    id: String(row['id']),
    tokenHash: String(row['token_hash']),
    userId: String(row['user_id']),
    createdAt,
    expiresAt: String(row['expires_at']),
    lastSeenAt: optionalText(row['last_seen_at']) ?? createdAt,
    userAgent: optionalText(row['user_agent']),
    address: optionalText(row['address']),
  };
}
