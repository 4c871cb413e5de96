import type { InviteRecord, InviteStore } from '../inviteStore.ts';
import { optionalString, type Sql } from './sql.ts';

interface InviteRow {
  id: string;
  network_id: string;
  member_id: string;
  created_at: string;
  expires_at: string;
  revoked_at: string | null;
}

export function createPostgresInviteStore(sql: Sql): InviteStore {
  return {
    async create(i) {
      await sql.query('INSERT INTO invites (id, network_id, member_id, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)', [i.id, i.networkId, i.memberId, i.createdAt, i.expiresAt]);
    },
    async byId(id) {
      const row = (await sql.query<InviteRow>('SELECT * FROM invites WHERE id = $1', [id])).rows[0];
      return row && toInvite(row);
    },
    async listForNetwork(networkId) {
      // COLLATE "C": SQLite's byte order; ties (one millisecond) in id order, where SQLite leaves them unspecified.
      const result = await sql.query<InviteRow>('SELECT * FROM invites WHERE network_id = $1 ORDER BY created_at COLLATE "C", id COLLATE "C"', [networkId]);
      return result.rows.map(toInvite);
    },
    // One conditional UPDATE: a revocation that waited on another's row lock re-reads the row after it
    // commits (READ COMMITTED) and leaves the first revocation time as it is.
    async revoke(id, at) {
      await sql.query('UPDATE invites SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL', [at, id]);
    },
    async expiredBetween(after, upTo) {
      const result = await sql.query<InviteRow>(
        'SELECT * FROM invites WHERE revoked_at IS NULL AND expires_at > $1 AND expires_at <= $2 ORDER BY expires_at COLLATE "C", id COLLATE "C"',
        [after, upTo],
      );
      return result.rows.map(toInvite);
    },
  };
}

function toInvite(row: InviteRow): InviteRecord {
  return {
    id: row.id,
    networkId: row.network_id,
    memberId: row.member_id,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    revokedAt: optionalString(row.revoked_at),
  };
}
