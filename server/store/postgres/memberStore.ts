import type { MemberRecord, MemberStore } from '../memberStore.ts';
import { optionalString, type Sql } from './sql.ts';

interface MemberRow {
  id: string;
  network_id: string;
  name: string;
  relationship: string;
  contact: string | null;
  is_interpreter: number;
  interpreter_language: string | null;
  needs_interpreter_in: string | null;
  created_at: string;
  removed_at: string | null;
  removed_reason: string | null;
}

export function createPostgresMemberStore(sql: Sql): MemberStore {
  return {
    async create(m) {
      await sql.query(
        `INSERT INTO network_members (id, network_id, name, relationship, contact, is_interpreter, interpreter_language, needs_interpreter_in, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [m.id, m.networkId, m.name, m.relationship, m.contact ?? null, m.isInterpreter ? 1 : 0, m.interpreterLanguage ?? null, m.needsInterpreterIn ?? null, m.createdAt],
      );
    },
    async byId(id) {
      const row = (await sql.query<MemberRow>('SELECT * FROM network_members WHERE id = $1', [id])).rows[0];
      return row && toMember(row);
    },
    async list(networkId) {
      // COLLATE "C": SQLite's byte order. Members added in one millisecond follow in id order here, where
      // SQLite's order of such a tie is unspecified.
      const result = await sql.query<MemberRow>('SELECT * FROM network_members WHERE network_id = $1 ORDER BY created_at COLLATE "C", id COLLATE "C"', [networkId]);
      return result.rows.map(toMember);
    },
    async update(id, e) {
      await sql.query(
        'UPDATE network_members SET name = $1, relationship = $2, contact = $3, is_interpreter = $4, interpreter_language = $5, needs_interpreter_in = $6 WHERE id = $7',
        [e.name, e.relationship, e.contact ?? null, e.isInterpreter ? 1 : 0, e.interpreterLanguage ?? null, e.needsInterpreterIn ?? null, id],
      );
    },
    // One conditional UPDATE: a second removal waiting on the first one's row lock re-reads the row after it
    // commits (READ COMMITTED), finds removed_at set and changes nothing, so the first removal stays.
    async remove(id, at, reason) {
      await sql.query('UPDATE network_members SET removed_at = $1, removed_reason = $2 WHERE id = $3 AND removed_at IS NULL', [at, reason, id]);
    },
  };
}

function toMember(row: MemberRow): MemberRecord {
  return {
    id: row.id,
    networkId: row.network_id,
    name: row.name,
    relationship: row.relationship,
    contact: optionalString(row.contact),
    isInterpreter: row.is_interpreter === 1,
    interpreterLanguage: optionalString(row.interpreter_language),
    needsInterpreterIn: optionalString(row.needs_interpreter_in),
    createdAt: row.created_at,
    removedAt: optionalString(row.removed_at),
    removedReason: optionalString(row.removed_reason),
  };
}
