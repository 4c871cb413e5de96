import type { DatabaseSync, SQLOutputValue } from 'node:sqlite';
import { optionalText } from './transaction.ts';

/** Someone who matters to the person at the centre: family, a friend, a social worker, an interpreter. */
export interface MemberRecord {
  id: string;
  networkId: string;
  name: string;
  relationship: string;
  contact: string | undefined;
  /** This person is the interpreter for the network's meetings (not: needs one). */
  isInterpreter: boolean;
  /** The language an interpreter interprets in; undefined for interpreters added before it was asked. */
  interpreterLanguage: string | undefined;
  /** The language in which this member needs an interpreter. */
  needsInterpreterIn: string | undefined;
  createdAt: string;
  /** Set once the team removed the member. The row stays: the record names what they wrote. */
  removedAt: string | undefined;
  removedReason: string | undefined;
}

/** The fields the team may change on a member. */
export type MemberEdit = Pick<MemberRecord, 'name' | 'relationship' | 'contact' | 'isInterpreter' | 'interpreterLanguage' | 'needsInterpreterIn'>;

export interface MemberStore {
  create(member: MemberRecord): Promise<void>;
  byId(id: string): Promise<MemberRecord | undefined>;
  /** Every member of the network, removed ones included, in the order they were added. */
  list(networkId: string): Promise<MemberRecord[]>;
  update(id: string, edit: MemberEdit): Promise<void>;
  /** Marks a member removed; a member already removed keeps their first removal. */
  remove(id: string, at: string, reason: string): Promise<void>;
}

export function createSqliteMemberStore(db: DatabaseSync): MemberStore {
  const insert = db.prepare(
    `INSERT INTO network_members (id, network_id, name, relationship, contact, is_interpreter, interpreter_language, needs_interpreter_in, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const byId = db.prepare('SELECT * FROM network_members WHERE id = ?');
  const list = db.prepare('SELECT * FROM network_members WHERE network_id = ? ORDER BY created_at');
  const update = db.prepare(
    'UPDATE network_members SET name = ?, relationship = ?, contact = ?, is_interpreter = ?, interpreter_language = ?, needs_interpreter_in = ? WHERE id = ?',
  );
  const remove = db.prepare('UPDATE network_members SET removed_at = ?, removed_reason = ? WHERE id = ? AND removed_at IS NULL');
  return {
    async create(m) {
      insert.run(m.id, m.networkId, m.name, m.relationship, m.contact ?? null, m.isInterpreter ? 1 : 0, m.interpreterLanguage ?? null, m.needsInterpreterIn ?? null, m.createdAt);
    },
    async byId(id) {
      const row = byId.get(id);
      return row ? toMember(row) : undefined;
    },
    async list(networkId) {
      return list.all(networkId).map(toMember);
    },
    async update(id, e) {
      update.run(e.name, e.relationship, e.contact ?? null, e.isInterpreter ? 1 : 0, e.interpreterLanguage ?? null, e.needsInterpreterIn ?? null, id);
    },
    async remove(id, at, reason) {
      remove.run(at, reason, id);
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
    interpreterLanguage: optionalText(row['interpreter_language']),
    needsInterpreterIn: optionalText(row['needs_interpreter_in']),
    createdAt: String(row['created_at']),
    removedAt: optionalText(row['removed_at']),
    removedReason: optionalText(row['removed_reason']),
  };
}
