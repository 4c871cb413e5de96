import * as Y from 'yjs';
import { meetingDocName, networkDocName } from '../../../shared/media/rooms.ts';
import type { EngineDatabase, Engine } from './engines.ts';

const T0 = '2026-12-01T10:00:00.000Z';

/** What a seeded network wrote, spelled so that a test can look for it anywhere. */
export interface SeededNetwork {
  networkId: string;
  meetingIds: [string, string];
  memberName: string;
  noteText: string;
}

/** A team member every seeded network is assigned to (users are not a network's: erasure keeps them). */
export async function seedTeamMember(database: Pick<EngineDatabase, 'stores'>): Promise<void> {
  await database.stores.users.create({ id: 'u1', email: 'ann@clinic.example', name: 'Ann', role: 'practitioner', isAdmin: true, passwordHash: 'x', createdAt: T0 });
}

/**
 * A network with a row in every table that can hold something of a network, every id and text containing
 * `token`: team, member (the person), invite, two meetings (one live, one ended and sealed), meeting team,
 * schedule, addendum, closure, audit entry, attendance, a notes version, and both kinds of document with a
 * client binding. Rows no contracted store writes yet are written as SQL both engines take.
 */
export async function seedNetwork(database: Pick<EngineDatabase, 'stores' | 'exec'>, token: string): Promise<SeededNetwork> {
  const { stores, exec } = database;
  const networkId = `nw-${token}`;
  const meetingIds: [string, string] = [`mt-${token}-1`, `mt-${token}-2`];
  const memberId = `mb-${token}`;
  const memberName = `Ada ${token}wright`;
  const noteText = `the ${token} river was high that night`;
  await stores.networks.create({ id: networkId, personName: `Person ${token}`, referredAt: T0, createdAt: T0, createdBy: 'u1', timeZone: 'Europe/Helsinki' });
  await stores.networks.assign(networkId, 'u1', T0);
  await exec("INSERT INTO network_members (id, network_id, name, relationship, created_at) VALUES ($1, $2, $3, 'sister', $4)", [memberId, networkId, memberName, T0]);
  await stores.networks.setPersonMember(networkId, memberId);
  await exec('INSERT INTO invites (id, network_id, member_id, created_at, expires_at) VALUES ($1, $2, $3, $4, $4)', [`iv-${token}`, networkId, memberId, T0]);
  await exec("INSERT INTO meetings (id, network_id, title, created_at, status) VALUES ($1, $2, $3, $4, 'live')", [meetingIds[0], networkId, `Meeting ${token}`, T0]);
  await exec("INSERT INTO meetings (id, network_id, title, created_at, status, ended_at) VALUES ($1, $2, $3, $4, 'ended', $4)", [meetingIds[1], networkId, `Meeting ${token}`, T0]);
  await exec("INSERT INTO meeting_team (meeting_id, user_id) VALUES ($1, 'u1')", [meetingIds[0]]);
  await stores.records.setSchedule({ meetingId: meetingIds[0], seriesId: `series-${token}`, durationMinutes: 60, sequence: 0 });
  await stores.records.addAddendum({ id: `ad-${token}`, meetingId: meetingIds[1], networkId, authorKind: 'member', authorId: memberId, authorName: memberName, authorRole: 'network_member', text: `later: ${noteText}`, createdAt: T0 });
  await stores.records.closeNetwork(networkId, T0);
  await stores.audit.record({ at: T0, actorKind: 'user', actorId: 'u1', action: 'member_added', networkId, targetId: memberId });
  await stores.attendance.add({ eventId: `ev-${token}`, meetingId: meetingIds[0], identity: `member-${memberId}`, kind: 'joined', at: T0 }, T0);
  await stores.sealedRecords.put({ meetingId: meetingIds[1], networkId, sealedAt: T0, format: 1, content: JSON.stringify({ notes: noteText, members: [memberName] }) });
  await exec(
    `INSERT INTO notes_versions (id, meeting_id, seq, kind, created_at, authors, words, chars, content_hash, content)
     VALUES ($1, $2, 1, 'edit', $3, $4, 7, 30, 'hash', $5)`,
    [`nv-${token}`, meetingIds[0], T0, JSON.stringify([`member:${memberId}`]), Buffer.from(noteText)],
  );
  await stores.docs.appendMany(meetingDocName(meetingIds[0]), [textUpdate(noteText)], [{ clientId: 4242, participantId: `member-${memberId}`, at: T0 }]);
  await stores.docs.append(networkDocName(networkId), textUpdate(`map: ${memberName}`));
  return { networkId, meetingIds, memberName, noteText };
}

/** A Yjs update holding `text` (Yjs stores strings as UTF-8, so the bytes are findable in a blob). */
export function textUpdate(text: string): Uint8Array {
  const doc = new Y.Doc();
  doc.getText('notes').insert(0, text);
  return Y.encodeStateAsUpdate(doc);
}

/**
 * For every table of the schema (read from the database itself, so a table added later is scanned too), the
 * rows with `needle` in any column: in text, or as UTF-8 bytes inside a blob. Tables without any are left out.
 */
export async function rowsContaining(engine: Engine, database: EngineDatabase, needle: string): Promise<Record<string, number>> {
  const columns = engine.name === 'sqlite' ? await sqliteColumns(database) : await postgresColumns(database);
  const found: Record<string, number> = {};
  for (const [table, columnList] of columns) {
    const where =
      engine.name === 'sqlite'
        ? columnList.map((c) => `instr(CAST("${c.name}" AS BLOB), CAST($1 AS BLOB)) > 0`)
        : columnList.map((c) => (c.type === 'bytea' ? `position(convert_to($1, 'UTF8') in "${c.name}") > 0` : `"${c.name}"::text LIKE '%' || $1 || '%'`));
    const [row] = await database.rows(`SELECT COUNT(*) AS n FROM "${table}" WHERE ${where.join(' OR ')}`, [needle]);
    const n = Number(row?.['n']);
    if (n > 0) found[table] = n;
  }
  return found;
}

interface Column {
  name: string;
  type: string;
}

async function sqliteColumns(database: EngineDatabase): Promise<Map<string, Column[]>> {
  const rows = await database.rows(
    `SELECT m.name AS table_name, c.name AS column_name, c.type AS type FROM sqlite_master m, pragma_table_info(m.name) c
     WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'`,
  );
  return byTable(rows);
}

async function postgresColumns(database: EngineDatabase): Promise<Map<string, Column[]>> {
  const rows = await database.rows(
    `SELECT c.table_name, c.column_name, c.data_type AS type FROM information_schema.columns c
     JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
     WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE'`,
  );
  return byTable(rows);
}

function byTable(rows: Record<string, unknown>[]): Map<string, Column[]> {
  const tables = new Map<string, Column[]>();
  for (const row of rows) {
    const table = String(row['table_name']);
    const list = tables.get(table) ?? [];
    list.push({ name: String(row['column_name']), type: String(row['type']) });
    tables.set(table, list);
  }
  return tables;
}
