import type { DatabaseSync } from 'node:sqlite';

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
}

export interface UserStore {
  create(user: UserRecord): Promise<void>;
  byId(id: string): Promise<UserRecord | undefined>;
  /** Emails are compared lower-cased. */
  byEmail(email: string): Promise<UserRecord | undefined>;
  list(): Promise<UserRecord[]>;
  anyAdmin(): Promise<boolean>;
}

export function createSqliteUserStore(db: DatabaseSync): UserStore {
  const insert = db.prepare(
    'INSERT INTO users (id, email, name, role, is_admin, password_hash, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const byId = db.prepare('SELECT * FROM users WHERE id = ?');
  const byEmail = db.prepare('SELECT * FROM users WHERE email = ?');
  const all = db.prepare('SELECT * FROM users ORDER BY name');
  const admin = db.prepare('SELECT 1 FROM users WHERE is_admin = 1 LIMIT 1');
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
  };
}

function toUser(row: Record<string, unknown> | undefined): UserRecord | undefined {
  if (!row) return undefined;
  return {
    id: String(row['id']),
    email: String(row['email']),
    name: String(row['name']),
    role: row['role'] === 'peer_worker' ? 'peer_worker' : 'practitioner',
    isAdmin: row['is_admin'] === 1,
    passwordHash: String(row['password_hash']),
    createdAt: String(row['created_at']),
  };
}
