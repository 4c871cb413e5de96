import type { DeactivationResult, UserRecord, UserStore } from '../userStore.ts';
import { optionalString, type Sql } from './sql.ts';
import { atomically } from './transaction.ts';

interface UserRow {
  id: string;
  email: string;
  name: string;
  role: string;
  is_admin: number;
  password_hash: string;
  created_at: string;
  deactivated_at: string | null;
}

/** Any key: held by every deactivation, so that the last-admin check and the write are one step for all instances. */
const DEACTIVATION_LOCK = 7_302_115_002;

export function createPostgresUserStore(pool: Sql): UserStore {
  const one = async (sql: Sql, text: string, values: unknown[]): Promise<UserRecord | undefined> => {
    const row = (await sql.query<UserRow>(text, values)).rows[0];
    return row && toUser(row);
  };

  const deactivate = async (sql: Sql, id: string, at: string, reason: string): Promise<DeactivationResult> => {
    // After the lock, each statement sees every deactivation committed before it (READ COMMITTED), so two
    // admins deactivating each other at once cannot both pass the last-admin check.
    await sql.query('SELECT pg_advisory_xact_lock($1)', [DEACTIVATION_LOCK]);
    const user = await one(sql, 'SELECT * FROM users WHERE id = $1', [id]);
    if (!user) return { status: 'not_found' };
    if (user.deactivatedAt) return { status: 'already_deactivated' };
    if (user.isAdmin) {
      const others = await sql.query<{ n: string }>('SELECT COUNT(*) AS n FROM users WHERE is_admin = 1 AND deactivated_at IS NULL AND id <> $1', [id]);
      if (Number(others.rows[0]?.n ?? 0) === 0) return { status: 'last_admin' };
    }
    await sql.query('UPDATE users SET deactivated_at = $1 WHERE id = $2 AND deactivated_at IS NULL', [at, id]);
    const sessionsEnded = (await sql.query('DELETE FROM sessions WHERE user_id = $1', [id])).rowCount ?? 0;
    await sql.query('DELETE FROM password_resets WHERE user_id = $1', [id]);
    const closed = await sql.query<{ network_id: string }>(
      'UPDATE network_team SET unassigned_at = $1, reason = $2 WHERE user_id = $3 AND unassigned_at IS NULL RETURNING network_id',
      [at, reason, id],
    );
    return { status: 'deactivated', networkIds: [...new Set(closed.rows.map((row) => row.network_id))], sessionsEnded };
  };

  return {
    async create(u) {
      await pool.query('INSERT INTO users (id, email, name, role, is_admin, password_hash, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)', [
        u.id,
        u.email.toLowerCase(),
        u.name,
        u.role,
        u.isAdmin ? 1 : 0,
        u.passwordHash,
        u.createdAt,
      ]);
    },
    byId: (id) => one(pool, 'SELECT * FROM users WHERE id = $1', [id]),
    byEmail: (email) => one(pool, 'SELECT * FROM users WHERE email = $1', [email.toLowerCase()]),
    async list() {
      // COLLATE "C": the byte order SQLite sorts text in, so both engines list in one order.
      return (await pool.query<UserRow>('SELECT * FROM users ORDER BY name COLLATE "C"')).rows.map(toUser);
    },
    async anyAdmin() {
      return ((await pool.query('SELECT 1 FROM users WHERE is_admin = 1 AND deactivated_at IS NULL LIMIT 1')).rowCount ?? 0) > 0;
    },
    async setPassword(id, passwordHash) {
      await pool.query('UPDATE users SET password_hash = $1 WHERE id = $2', [passwordHash, id]);
    },
    deactivate: (id, at, reason) => atomically(pool, (client) => deactivate(client, id, at, reason)),
    async deactivatedSince(since) {
      const users = await pool.query<{ id: string; deactivated_at: string }>('SELECT id, deactivated_at FROM users WHERE deactivated_at > $1 ORDER BY deactivated_at', [since]);
      return Promise.all(
        users.rows.map(async ({ id, deactivated_at: deactivatedAt }) => {
          const left = await pool.query<{ network_id: string }>('SELECT DISTINCT network_id FROM network_team WHERE user_id = $1 AND unassigned_at = $2', [id, deactivatedAt]);
          return { id, deactivatedAt, networkIds: left.rows.map((row) => row.network_id) };
        }),
      );
    },
    async reactivate(id) {
      return ((await pool.query('UPDATE users SET deactivated_at = NULL WHERE id = $1 AND deactivated_at IS NOT NULL', [id])).rowCount ?? 0) > 0;
    },
  };
}

function toUser(row: UserRow): UserRecord {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role === 'peer_worker' ? 'peer_worker' : 'practitioner',
    isAdmin: row.is_admin === 1,
    passwordHash: row.password_hash,
    createdAt: row.created_at,
    deactivatedAt: optionalString(row.deactivated_at),
  };
}
