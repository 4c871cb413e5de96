import type { DatabaseSync, SQLOutputValue } from 'node:sqlite';
import { optionalText, transaction } from './transaction.ts';

export type TeamRole = 'practitioner' | 'peer_worker';

/** A team member's account. `passwordHash` never leaves the server. */
export interface UserRecord {
  id: string;
  email: string;
  name: string;
  role: TeamRole;
  isAdmin: boolean;
  passwordHash: string;
  createdAt: string;
  /** Set while the account is deactivated: it cannot log in and is on no network. */
  deactivatedAt?: string | undefined;
}

/** What a deactivation did, or why it did nothing. */
export type DeactivationResult =
  | { status: 'deactivated'; networkIds: string[]; sessionsEnded: number }
  | { status: 'not_found' }
  | { status: 'already_deactivated' }
  | { status: 'last_admin' };

export interface UserStore {
  create(user: UserRecord): Promise<void>;
  byId(id: string): Promise<UserRecord | undefined>;
  /** Emails are compared lower-cased. */
  byEmail(email: string): Promise<UserRecord | undefined>;
  list(): Promise<UserRecord[]>;
  /** Whether any active admin exists. */
  anyAdmin(): Promise<boolean>;
  setPassword(id: string, passwordHash: string): Promise<void>;
  /**
   * In one transaction: marks the account deactivated, ends all its sessions and reset links, and closes
   * every current network assignment with `reason`. Refuses to deactivate the last active admin.
   */
  deactivate(id: string, at: string, reason: string): Promise<DeactivationResult>;
  /**
   * Accounts deactivated after `since`, oldest first, with the networks the deactivation took them off
   * (for a server to end what is live when the ops CLI deactivated someone).
   */
  deactivatedSince(since: string): Promise<{ id: string; deactivatedAt: string; networkIds: string[] }[]>;
  /** Lets the account log in again. It stays off the networks it was taken off. False if not deactivated. */
  reactivate(id: string): Promise<boolean>;
}

export function createSqliteUserStore(db: DatabaseSync): UserStore {
  const insert = db.prepare(
    'INSERT INTO users (id, email, name, role, is_admin, password_hash, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const byId = db.prepare('SELECT * FROM users WHERE id = ?');
  const byEmail = db.prepare('SELECT * FROM users WHERE email = ?');
  const all = db.prepare('SELECT * FROM users ORDER BY name');
  const admin = db.prepare('SELECT 1 FROM users WHERE is_admin = 1 AND deactivated_at IS NULL LIMIT 1');
  const otherActiveAdmins = db.prepare('SELECT COUNT(*) AS n FROM users WHERE is_admin = 1 AND deactivated_at IS NULL AND id <> ?');
  const setPassword = db.prepare('UPDATE users SET password_hash = ? WHERE id = ?');
  const markDeactivated = db.prepare('UPDATE users SET deactivated_at = ? WHERE id = ? AND deactivated_at IS NULL');
  const markActive = db.prepare('UPDATE users SET deactivated_at = NULL WHERE id = ? AND deactivated_at IS NOT NULL');
  const deactivatedSince = db.prepare('SELECT id, deactivated_at FROM users WHERE deactivated_at > ? ORDER BY deactivated_at');
  const leftAt = db.prepare('SELECT DISTINCT network_id FROM network_team WHERE user_id = ? AND unassigned_at = ?');
  const endSessions = db.prepare('DELETE FROM sessions WHERE user_id = ?');
  const endResets = db.prepare('DELETE FROM password_resets WHERE user_id = ?');
  const closeAssignments = db.prepare(
    'UPDATE network_team SET unassigned_at = ?, reason = ? WHERE user_id = ? AND unassigned_at IS NULL RETURNING network_id',
  );

  const deactivate = (id: string, at: string, reason: string): DeactivationResult => {
    const user = toUser(byId.get(id));
    if (!user) return { status: 'not_found' };
    if (user.deactivatedAt) return { status: 'already_deactivated' };
    if (user.isAdmin && Number(otherActiveAdmins.get(id)?.['n'] ?? 0) === 0) return { status: 'last_admin' };
    markDeactivated.run(at, id);
    const sessionsEnded = Number(endSessions.run(id).changes);
    endResets.run(id);
    const networkIds = closeAssignments.all(at, reason, id).map((row) => String(row['network_id']));
    return { status: 'deactivated', networkIds: [...new Set(networkIds)], sessionsEnded };
  };

  return {
    async create(u) {
      insert.run(u.id, u.email.toLowerCase(), u.name, u.role, u.isAdmin ? 1 : 0, u.passwordHash, u.createdAt);
    },
    async byId(id) {
      return toUser(byId.get(id));
    },
    async byEmail(email) {
      return toUser(byEmail.get(email.toLowerCase()));
    },
    async list() {
      return all.all().flatMap((row) => toUser(row) ?? []);
    },
    async anyAdmin() {
      return admin.get() !== undefined;
    },
    async setPassword(id, passwordHash) {
      setPassword.run(passwordHash, id);
    },
    // BEGIN IMMEDIATE takes the write lock before the last-admin count, so two admins deactivating each
    // other at once cannot both pass the check.
    async deactivate(id, at, reason) {
      return transaction(db, () => deactivate(id, at, reason));
    },
    async deactivatedSince(since) {
      return deactivatedSince.all(since).map((row) => {
        const id = String(row['id']);
        const deactivatedAt = String(row['deactivated_at']);
        return { id, deactivatedAt, networkIds: leftAt.all(id, deactivatedAt).map((r) => String(r['network_id'])) };
      });
    },
    async reactivate(id) {
      return markActive.run(id).changes > 0;
    },
  };
}

function toUser(row: Record<string, SQLOutputValue> | undefined): UserRecord | undefined {
  if (!row) return undefined;
  return {
    id: String(row['id']),
    email: String(row['email']),
    name: String(row['name']),
    role: row['role'] === 'peer_worker' ? 'peer_worker' : 'practitioner',
    isAdmin: row['is_admin'] === 1,
    passwordHash: String(row['password_hash']),
    createdAt: String(row['created_at']),
    deactivatedAt: optionalText(row['deactivated_at']),
  };
}
