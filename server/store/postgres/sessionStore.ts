import type { SessionRecord, SessionStore } from '../sessionStore.ts';
import { optionalString, type Sql } from './sql.ts';

interface SessionRow {
  id: string;
  token_hash: string;
  user_id: string;
  created_at: string;
  expires_at: string;
  last_seen_at: string | null;
  user_agent: string | null;
  address: string | null;
}

export function createPostgresSessionStore(sql: Sql): SessionStore {
  return {
    async create(s) {
      // Expired sessions are cleared as new ones are made, so the table never grows without bound.
      await sql.query('DELETE FROM sessions WHERE expires_at <= $1', [s.createdAt]);
      await sql.query(
        `INSERT INTO sessions (id, token_hash, user_id, created_at, expires_at, last_seen_at, user_agent, address)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [s.id, s.tokenHash, s.userId, s.createdAt, s.expiresAt, s.lastSeenAt, s.userAgent ?? null, s.address ?? null],
      );
    },
    async find(tokenHash, now) {
      const result = await sql.query<SessionRow>('SELECT * FROM sessions WHERE token_hash = $1 AND expires_at > $2', [tokenHash, now.toISOString()]);
      return result.rows[0] && toSession(result.rows[0]);
    },
    async touch(tokenHash, at, olderThan) {
      await sql.query('UPDATE sessions SET last_seen_at = $1 WHERE token_hash = $2 AND last_seen_at < $3', [at, tokenHash, olderThan]);
    },
    async listForUser(userId, now) {
      const result = await sql.query<SessionRow>('SELECT * FROM sessions WHERE user_id = $1 AND expires_at > $2 ORDER BY last_seen_at DESC', [userId, now.toISOString()]);
      return result.rows.map(toSession);
    },
    async delete(tokenHash) {
      await sql.query('DELETE FROM sessions WHERE token_hash = $1', [tokenHash]);
    },
    async isLive(id, now) {
      return ((await sql.query('SELECT 1 FROM sessions WHERE id = $1 AND expires_at > $2', [id, now.toISOString()])).rowCount ?? 0) > 0;
    },
    async deleteById(userId, id) {
      return ((await sql.query('DELETE FROM sessions WHERE user_id = $1 AND id = $2', [userId, id])).rowCount ?? 0) > 0;
    },
    async deleteForUser(userId, keepTokenHash) {
      return (await sql.query('DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2', [userId, keepTokenHash ?? ''])).rowCount ?? 0;
    },
  };
}

function toSession(row: SessionRow): SessionRecord {
  return {
    id: row.id,
    tokenHash: row.token_hash,
    userId: row.user_id,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    lastSeenAt: optionalString(row.last_seen_at) ?? row.created_at,
    userAgent: optionalString(row.user_agent),
    address: optionalString(row.address),
  };
}
