import type { DatabaseSync } from 'node:sqlite';

/** A team member's login session, found by the hash of its token. */
export interface SessionRecord {
  tokenHash: string;
  userId: string;
  createdAt: string;
  expiresAt: string;
}

export interface SessionStore {
  create(session: SessionRecord): Promise<void>;
  /** The session if it exists and has not expired at `now`. */
  find(tokenHash: string, now: Date): Promise<SessionRecord | undefined>;
  delete(tokenHash: string): Promise<void>;
}

export function createSqliteSessionStore(db: DatabaseSync): SessionStore {
  const insert = db.prepare('INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)');
  const select = db.prepare('SELECT * FROM sessions WHERE token_hash = ? AND expires_at > ?');
  const remove = db.prepare('DELETE FROM sessions WHERE token_hash = ?');
  const purge = db.prepare('DELETE FROM sessions WHERE expires_at <= ?');
  return {
    async create(s) {
      // Expired sessions are cleared as new ones are made, so the table never grows without bound.
      purge.run(s.createdAt);
      insert.run(s.tokenHash, s.userId, s.createdAt, s.expiresAt);
    },
    async find(tokenHash, now) {
      const row = select.get(tokenHash, now.toISOString());
      if (!row) return undefined;
      return {
        tokenHash: String(row['token_hash']),
        userId: String(row['user_id']),
        createdAt: String(row['created_at']),
        expiresAt: String(row['expires_at']),
      };
    },
    async delete(tokenHash) {
      remove.run(tokenHash);
    },
  };
}
