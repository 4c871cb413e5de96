import type { DatabaseSync, SQLOutputValue } from 'node:sqlite';
import { optionalText } from './transaction.ts';

/** Someone who matters to the person at the centre: family, a friend, a social worker, an interpreter. */
export interface MemberRecord {
  id: string;
  networkId: string;
  name: string;
  relationship: string;
  contact: string | undefined;
  isInterpreter: boolean;
  createdAt: string;
}

export interface MemberStore {
  create(member: MemberRecord): Promise<void>;
  byId(id: string): Promise<MemberRecord | undefined>;
  list(networkId: string): Promise<MemberRecord[]>;
}

export function createSqliteMemberStore(db: DatabaseSync): MemberStore {
  const insert = db.prepare(
    'INSERT INTO network_members (id, network_id, name, relationship, contact, is_interpreter, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const byId = db.prepare('SELECT * FROM network_members WHERE id = ?');
  const list = db.prepare('SELECT * FROM network_members WHERE network_id = ? ORDER BY created_at');
  return {
    async create(m) {
      insert.run(m.id, m.networkId, m.name, m.relationship, m.contact ?? null, m.isInterpreter ? 1 : 0, m.createdAt);
    },
    async byId(id) {
      const row = byId.get(id);
      return row ? toMember(row) : undefined;
    },
    async list(networkId) {
      return list.all(networkId).map(toMember);
    },
  };
}

function toMember(row: Record<string, SQLOutputValue>): MemberRecord {
  return {
    id: String(row['id']),
    networkId: String(row['network_id']),
    name: String(row['name']),
    relationship: String(row['relationship']),
    contact: optionalText(row['contact']),
    isInterpreter: row['is_interpreter'] === 1,
    createdAt: String(row['created_at']),
  };
}
