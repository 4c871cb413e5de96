import type { DatabaseSync } from 'node:sqlite';

/** A one-time password reset link, stored by the hash of its token. */
export interface PasswordResetRecord {
  tokenHash: string;
  userId: string;
  createdAt: string;
  expiresAt: string;
}

export interface PasswordResetStore {
  /** Stores a new link for the user, replacing any earlier one (only the newest link works). */
  replace(reset: PasswordResetRecord): Promise<void>;
  /** The user a live link belongs to, without using it up. */
  peek(tokenHash: string, now: Date): Promise<string | undefined>;
  /**
   * Uses the link up: one DELETE … RETURNING, so of any number of simultaneous uses exactly one gets the
   * user id. Undefined when the link is unknown, used or expired.
   */
  consume(tokenHash: string, now: Date): Promise<string | undefined>;
}

export function createSqlitePasswordResetStore(db: DatabaseSync): PasswordResetStore {
  const removeForUser = db.prepare('DELETE FROM password_resets WHERE user_id = ? OR expires_at <= ?');
  const insert = db.prepare('INSERT INTO password_resets (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)');
  const peek = db.prepare('SELECT user_id FROM password_resets WHERE token_hash = ? AND expires_at > ?');
  const consume = db.prepare('DELETE FROM password_resets WHERE token_hash = ? AND expires_at > ? RETURNING user_id');
  return {
    async replace(r) {
      removeForUser.run(r.userId, r.createdAt);
      insert.run(r.tokenHash, r.userId, r.createdAt, r.expiresAt);
    },
    async peek(tokenHash, now) {
      const row = peek.get(tokenHash, now.toISOString());
      return row ? String(row['user_id']) : undefined;
    },
    async consume(tokenHash, now) {
      const row = consume.get(tokenHash, now.toISOString());
      return row ? String(row['user_id']) : undefined;
    },
  };
}
