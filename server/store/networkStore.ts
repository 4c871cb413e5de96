import type { DatabaseSync, SQLOutputValue } from 'node:sqlite';
import { optionalText } from './transaction.ts';

/** One network: the person at its centre and when they were referred (the 24-hour clock starts there). */
export interface NetworkRecord {
  id: string;
  personName: string;
  referredAt: string;
  createdAt: string;
  createdBy: string | undefined;
  /** The member who is the person at the centre, once the team has marked one (see migration 8). */
  personMemberId?: string | undefined;
  /** IANA zone the record's times are given in; undefined for a network made before migration 10. */
  timeZone?: string | undefined;
}

/** A team member's assignment to a network; closed (not deleted) when they leave the team. */
export interface TeamAssignment {
  networkId: string;
  userId: string;
  assignedAt: string;
  unassignedAt: string | undefined;
  reason: string | undefined;
}

export interface NetworkStore {
  create(network: NetworkRecord): Promise<void>;
  byId(id: string): Promise<NetworkRecord | undefined>;
  /** Every network (admins), or those the user is currently assigned to. */
  list(forUserId?: string): Promise<NetworkRecord[]>;
  assign(networkId: string, userId: string, at: string): Promise<void>;
  unassign(networkId: string, userId: string, at: string, reason: string): Promise<void>;
  /** Current and past assignments, oldest first. */
  team(networkId: string): Promise<TeamAssignment[]>;
  isAssigned(networkId: string, userId: string): Promise<boolean>;
  /** Marks which member is the person at the centre (undefined: nobody); the caller checks the member's network. */
  setPersonMember(networkId: string, memberId: string | undefined): Promise<void>;
  /** Sets the network's time zone; the caller has validated it. */
  setTimeZone(networkId: string, timeZone: string): Promise<void>;
}

export function createSqliteNetworkStore(db: DatabaseSync): NetworkStore {
  const insert = db.prepare('INSERT INTO networks (id, person_name, referred_at, created_at, created_by, time_zone) VALUES (?, ?, ?, ?, ?, ?)');
  const byId = db.prepare('SELECT * FROM networks WHERE id = ?');
  const all = db.prepare('SELECT * FROM networks ORDER BY referred_at DESC');
  const assigned = db.prepare(
    `SELECT n.* FROM networks n JOIN network_team t ON t.network_id = n.id
     WHERE t.user_id = ? AND t.unassigned_at IS NULL ORDER BY n.referred_at DESC`,
  );
  const assign = db.prepare('INSERT INTO network_team (network_id, user_id, assigned_at) VALUES (?, ?, ?)');
  const unassign = db.prepare(
    'UPDATE network_team SET unassigned_at = ?, reason = ? WHERE network_id = ? AND user_id = ? AND unassigned_at IS NULL',
  );
  const team = db.prepare('SELECT * FROM network_team WHERE network_id = ? ORDER BY assigned_at');
  const setPerson = db.prepare('UPDATE networks SET person_member_id = ? WHERE id = ?');
  const setZone = db.prepare('UPDATE networks SET time_zone = ? WHERE id = ?');
  const current = db.prepare('SELECT 1 FROM network_team WHERE network_id = ? AND user_id = ? AND unassigned_at IS NULL');
  return {
    async create(n) {
      insert.run(n.id, n.personName, n.referredAt, n.createdAt, n.createdBy ?? null, n.timeZone ?? null);
    },
    async byId(id) {
      const row = byId.get(id);
      return row ? toNetwork(row) : undefined;
    },
    async list(forUserId) {
      return (forUserId ? assigned.all(forUserId) : all.all()).map(toNetwork);
    },
    async assign(networkId, userId, at) {
      if (current.get(networkId, userId)) return;
      assign.run(networkId, userId, at);
    },
    async unassign(networkId, userId, at, reason) {
      unassign.run(at, reason, networkId, userId);
    },
    async team(networkId) {
      return team.all(networkId).map((row) => ({
        networkId: String(row['network_id']),
        userId: String(row['user_id']),
        assignedAt: String(row['assigned_at']),
        unassignedAt: optionalText(row['unassigned_at']),
        reason: optionalText(row['reason']),
      }));
    },
    async isAssigned(networkId, userId) {
      return current.get(networkId, userId) !== undefined;
    },
    async setPersonMember(networkId, memberId) {
      setPerson.run(memberId ?? null, networkId);
    },
    async setTimeZone(networkId, timeZone) {
      setZone.run(timeZone, networkId);
    },
  };
}

function toNetwork(row: Record<string, SQLOutputValue>): NetworkRecord {
  return {
    id: String(row['id']),
    personName: String(row['person_name']),
    referredAt: String(row['referred_at']),
    createdAt: String(row['created_at']),
    createdBy: optionalText(row['created_by']),
    personMemberId: optionalText(row['person_member_id']),
    timeZone: optionalText(row['time_zone']),
  };
}
