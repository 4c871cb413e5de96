import type { NetworkRecord, NetworkStore } from '../networkStore.ts';
import { optionalString, type Sql } from './sql.ts';

interface NetworkRow {
  id: string;
  person_name: string;
  referred_at: string;
  created_at: string;
  created_by: string | null;
  person_member_id: string | null;
  time_zone: string | null;
}

interface TeamRow {
  network_id: string;
  user_id: string;
  assigned_at: string;
  unassigned_at: string | null;
  reason: string | null;
}

export function createPostgresNetworkStore(sql: Sql): NetworkStore {
  return {
    async create(n) {
      await sql.query('INSERT INTO networks (id, person_name, referred_at, created_at, created_by, time_zone) VALUES ($1, $2, $3, $4, $5, $6)', [
        n.id,
        n.personName,
        n.referredAt,
        n.createdAt,
        n.createdBy ?? null,
        n.timeZone ?? null,
      ]);
    },
    async byId(id) {
      const row = (await sql.query<NetworkRow>('SELECT * FROM networks WHERE id = $1', [id])).rows[0];
      return row && toNetwork(row);
    },
    async list(forUserId) {
      const result = forUserId
        ? await sql.query<NetworkRow>(
            `SELECT n.* FROM networks n JOIN network_team t ON t.network_id = n.id
             WHERE t.user_id = $1 AND t.unassigned_at IS NULL ORDER BY n.referred_at DESC`,
            [forUserId],
          )
        : await sql.query<NetworkRow>('SELECT * FROM networks ORDER BY referred_at DESC');
      return result.rows.map(toNetwork);
    },
    async assign(networkId, userId, at) {
      // One current assignment per person and network, by the partial unique index (migration 2), so two
      // simultaneous assignments make one row.
      await sql.query(
        `INSERT INTO network_team (network_id, user_id, assigned_at) VALUES ($1, $2, $3)
         ON CONFLICT DO NOTHING`,
        [networkId, userId, at],
      );
    },
    async unassign(networkId, userId, at, reason) {
      await sql.query('UPDATE network_team SET unassigned_at = $1, reason = $2 WHERE network_id = $3 AND user_id = $4 AND unassigned_at IS NULL', [at, reason, networkId, userId]);
    },
    async team(networkId) {
      const result = await sql.query<TeamRow>('SELECT * FROM network_team WHERE network_id = $1 ORDER BY assigned_at', [networkId]);
      return result.rows.map((row) => ({
        networkId: row.network_id,
        userId: row.user_id,
        assignedAt: row.assigned_at,
        unassignedAt: optionalString(row.unassigned_at),
        reason: optionalString(row.reason),
      }));
    },
    async isAssigned(networkId, userId) {
      return ((await sql.query('SELECT 1 FROM network_team WHERE network_id = $1 AND user_id = $2 AND unassigned_at IS NULL', [networkId, userId])).rowCount ?? 0) > 0;
    },
    async setPersonMember(networkId, memberId) {
      await sql.query('UPDATE networks SET person_member_id = $1 WHERE id = $2', [memberId ?? null, networkId]);
    },
    async setTimeZone(networkId, timeZone) {
      await sql.query('UPDATE networks SET time_zone = $1 WHERE id = $2', [timeZone, networkId]);
    },
  };
}

function toNetwork(row: NetworkRow): NetworkRecord {
  return {
    id: row.id,
    personName: row.person_name,
    referredAt: row.referred_at,
    createdAt: row.created_at,
    createdBy: optionalString(row.created_by),
    personMemberId: optionalString(row.person_member_id),
    timeZone: optionalString(row.time_zone),
  };
}
