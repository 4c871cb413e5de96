import type { PasswordResetStore } from '../passwordResetStore.ts';
import type { Sql } from './sql.ts';

export function createPostgresPasswordResetStore(sql: Sql): PasswordResetStore {
  return {
    async replace(r) {
      await sql.query('DELETE FROM password_resets WHERE user_id = $1 OR expires_at <= $2', [r.userId, r.createdAt]);
      await sql.query('INSERT INTO password_resets (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)', [r.tokenHash, r.userId, r.createdAt, r.expiresAt]);
    },
    async peek(tokenHash, now) {
      const result = await sql.query<{ user_id: string }>('SELECT user_id FROM password_resets WHERE token_hash = $1 AND expires_at > $2', [tokenHash, now.toISOString()]);
      return result.rows[0]?.user_id;
    },
    async consume(tokenHash, now) {
      const result = await sql.query<{ user_id: string }>('DELETE FROM password_resets WHERE token_hash = $1 AND expires_at > $2 RETURNING user_id', [tokenHash, now.toISOString()]);
      return result.rows[0]?.user_id;
    },
  };
}
