import type { DatabaseSync, SQLOutputValue } from 'node:sqlite';
import { optionalText } from './transaction.ts';

/** A personal invite: one network member, one network, until it expires or is revoked. */
export interface InviteRecord {
  id: string;
  networkId: string;
  memberId: string;
  createdAt: string;
  expiresAt: string;
  revokedAt: string | undefined;
}

export interface InviteStore {
  create(invite: InviteRecord): Promise<void>;
  byId(id: string): Promise<InviteRecord | undefined>;
  listForNetwork(networkId: string): Promise<InviteRecord[]>;
  revoke(id: string, at: string): Promise<void>;
  /** Invites not revoked whose expiry fell in (`after`, `upTo`]: the moment their holders lose access. */
  expiredBetween(after: string, upTo: string): Promise<InviteRecord[]>;
}

export function createSqliteInviteStore(db: DatabaseSync): InviteStore {
  const insert = db.prepare('INSERT INTO invites (id, network_id, member_id, created_at, expires_at) VALUES (?, ?, ?, ?, ?)');
  const byId = db.prepare('SELECT * FROM invites WHERE id = ?');
  const list = db.prepare('SELECT * FROM invites WHERE network_id = ? ORDER BY created_at');
  const revoke = db.prepare('UPDATE invites SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL');
  const expiredBetween = db.prepare('SELECT * FROM invites WHERE revoked_at IS NULL AND expires_at > ? AND expires_at <= ? ORDER BY expires_at');
  return {
    async create(i) {
      insert.run(i.id, i.networkId, i.memberId, i.createdAt, i.expiresAt);
    },
    async byId(id) {
      const row = byId.get(id);
      return row ? toInvite(row) : undefined;
    },
    async listForNetwork(networkId) {
      return list.all(networkId).map(toInvite);
    },
    async revoke(id, at) {
      revoke.run(at, id);
    },
    async expiredBetween(after, upTo) {
      return expiredBetween.all(after, upTo).map(toInvite);
    },
  };
}

function toInvite(row: Record<string, SQLOutputValue>): InviteRecord {
  return {
    id: String(row['id']),
    networkId: String(row['network_id']),
    memberId: String(row['member_id']),
    createdAt: String(row['created_at']),
    expiresAt: String(row['expires_at']),
    revokedAt: optionalText(row['revoked_at']),
  };
}
