import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { notesPlainText } from '../../shared/doc/schema.ts';
import { DATABASE_FILE, openDatabase } from '../../server/store/database.ts';
import { copyDataDirToPostgres } from '../../server/store/copy/copyDataDir.ts';
import { planCopy } from '../../server/store/copy/copyPlan.ts';
import { snapshotDataDir } from '../../server/store/copy/sqliteSnapshot.ts';
import { verifyCopy } from '../../server/store/copy/verifyCopy.ts';
import { openPostgres } from '../../server/store/postgres/database.ts';
import { cli, idOf } from '../helpers/cli.ts';
import { useCleanups } from '../helpers/cleanups.ts';
import { joinAndConnect, waitUntilStored, type connectDocClient } from '../helpers/docClient.ts';
import { HttpSession } from '../helpers/httpSession.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/postgresDatabase.ts';
import { addUser, PASSWORD, seedNetwork } from '../helpers/seed.ts';
import { startServerProcess, type ServerProcess } from '../helpers/serverProcess.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const run = promisify(execFile);
const cleanup = useCleanups();

/** Names that must never appear in what the command prints (it reports counts and ids only). */
const PERSON = 'Jo Quillfeather';
const MEMBER = 'Sam Larkspur';

type DocClient = ReturnType<typeof connectDocClient>;

interface CopyRun {
  /** The process' exit status. */
  status: number;
  answer: Record<string, unknown>;
  stdout: string;
}

/** `npm run -s polyphony -- db copy --to URL --json`, as a real process on DATA_DIR. */
async function dbCopy(dataDir: string, to: string): Promise<CopyRun> {
  const env = { ...process.env, DATA_DIR: dataDir };
  try {
    const { stdout } = await run(process.execPath, ['server/cli/main.ts', 'db', 'copy', '--to', to, '--json'], { cwd: ROOT, env });
    return { status: 0, answer: JSON.parse(stdout) as Record<string, unknown>, stdout };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string };
    if (typeof failed.code !== 'number' || !failed.stdout) throw error;
    return { status: failed.code, answer: JSON.parse(failed.stdout) as Record<string, unknown>, stdout: failed.stdout };
  }
}

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'polyphony-dbcopy-'));
  cleanup(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function testDatabase(migrated: boolean): Promise<TestDatabase> {
  const database = await createTestDatabase({ migrated });
  cleanup(() => database.drop());
  return database;
}

async function query<R extends pg.QueryResultRow>(url: string, text: string, values: unknown[] = []): Promise<R[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<R>(text, values)).rows;
  } finally {
    await client.end();
  }
}

/** Every base table of the database with its row count (what "nothing changed" is checked against). */
async function postgresTables(url: string): Promise<Record<string, number>> {
  const tables = await query<{ table_name: string }>(url, "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name");
  const counts: Record<string, number> = {};
  for (const { table_name: table } of tables) counts[table] = Number((await query<{ n: string }>(url, `SELECT COUNT(*) AS n FROM "${table}"`))[0]?.n);
  return counts;
}

/** A fresh SQLite data directory, migrated and empty (enough for the refusals, which read nothing of it). */
function emptyDataDir(): string {
  const dir = tempDir();
  openDatabase(dir).close();
  return dir;
}

/** Opens the data directory's database read-only (the server that wrote it was stopped). */
function readSqlite(dataDir: string): DatabaseSync {
  return new DatabaseSync(join(dataDir, DATABASE_FILE), { readOnly: true });
}

function paragraphs(text: string): Set<string> {
  return new Set(text.split('\n').filter(Boolean));
}

/** The document rebuilt from rows (oldest first), as a server loads it. */
function docOf(rows: readonly Uint8Array[]): Y.Doc {
  const doc = new Y.Doc();
  for (const row of rows) Y.applyUpdate(doc, row);
  return doc;
}

interface Source {
  server: ServerProcess;
  sealedMeeting: string;
  openMeeting: string;
  /** What each client wrote into the open meeting's notes, and into the sealed one's. */
  written: { open: string[]; sealed: string[] };
  session: HttpSession;
}

const sourceCleanups: (() => Promise<void> | void)[] = [];
let source: Source;

/**
 * A data directory as real use leaves it, made through the real server and ops CLI: two team members with
 * sessions, a network with its team, a member and an invite, the person it is about marked among its members, a meeting where the team and the member wrote
 * and which was then ended (sealed record, its notes versions, an addendum), a second meeting whose notes
 * three people wrote enough into to be compacted and then a little more (a snapshot row and a tail), a
 * meeting team, a daily series of meetings, a password reset link, a retention setting, a closed network and
 * an erased one.
 */
async function buildSource(): Promise<Source> {
  const dataDir = mkdtempSync(join(tmpdir(), 'polyphony-dbcopy-source-'));
  sourceCleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
  const server = await startServerProcess({ dataDir, env: { LIVEKIT: 'off' } });
  sourceCleanups.push(() => server.stop());
  const patId = await addUser(dataDir, 'pat@team.org', { admin: true, name: 'Pat' });
  await addUser(dataDir, 'robin@team.org', { role: 'peer_worker', name: 'Robin' });
  const seeded = await seedNetwork(dataDir, { team: ['pat@team.org', 'robin@team.org'], personName: PERSON, memberName: MEMBER });
  const openMeeting = idOf(await cli(dataDir, ['meeting', 'create', '--network', seeded.networkId, '--at', new Date().toISOString()]));
  const [pat, robin, member] = [new HttpSession(server.url), new HttpSession(server.url), HttpSession.forInvite(server.url, seeded.inviteUrl)];
  await pat.login('pat@team.org', PASSWORD);
  await robin.login('robin@team.org', PASSWORD);
  await pat.json('PUT', `/api/meetings/${openMeeting}/team`, { userIds: [patId] });
  // The person the network is about, as a member marked so: a key that closes a cycle (networks ↔ members).
  const personMember = idOf(await cli(dataDir, ['member', 'add', '--network', seeded.networkId, '--name', PERSON, '--relationship', 'the person']));
  await pat.json('PUT', `/api/networks/${seeded.networkId}/person`, { memberId: personMember });
  const tomorrow = new Date(Date.now() + 24 * 60 * 60_000).toISOString();
  await pat.json('POST', `/api/networks/${seeded.networkId}/schedule`, { startsAt: tomorrow, count: 3, timeZone: 'Europe/Oslo', teamUserIds: [patId] });

  const clients: DocClient[] = [];
  const connect = async (session: HttpSession, meeting: string, name: string) => {
    const { client } = await joinAndConnect(session, meeting, name);
    clients.push(client);
    return client;
  };
  const sealed = await Promise.all([connect(pat, seeded.meetingId, 'Pat'), connect(robin, seeded.meetingId, 'Robin'), connect(member, seeded.meetingId, 'Sam')]);
  const written = { sealed: [] as string[], open: [] as string[] };
  sealed.forEach((client, i) => ['first', 'second', 'third'].forEach((word) => written.sealed.push(write(client, `sealed ${word} line by writer ${i}`))));
  await waitUntilStored(...sealed.map((client) => client.provider));
  await pat.json('POST', `/api/meetings/${seeded.meetingId}/end`, {});
  await member.json('POST', `/api/meetings/${seeded.meetingId}/addenda`, { text: 'an addendum after the end' });

  // 3 × 200 one-paragraph edits: past the 500 rows at which the server compacts the log into a snapshot.
  const writers = await Promise.all([connect(pat, openMeeting, 'Pat'), connect(robin, openMeeting, 'Robin'), connect(member, openMeeting, 'Sam')]);
  writers.forEach((client, i) => Array.from({ length: 200 }, (_, n) => written.open.push(write(client, `open line ${n} by writer ${i}`))));
  await waitUntilStored(...writers.map((client) => client.provider));
  await vi.waitFor(() => expect(storedRows(dataDir, `meeting-${openMeeting}`)).toBeLessThan(500), { timeout: 30_000, interval: 200 });
  writers.forEach((client, i) => written.open.push(write(client, `open line after the snapshot by writer ${i}`)));
  await waitUntilStored(...writers.map((client) => client.provider));
  sourceCleanups.push(() => clients.forEach((client) => client.destroy()));

  await cli(dataDir, ['user', 'reset-password', '--user', 'robin@team.org']);
  await cli(dataDir, ['retention', 'set', '--days', '365']);
  const closed = idOf(await cli(dataDir, ['network', 'create', '--name', 'Closed Network', '--referred-at', new Date().toISOString()]));
  await cli(dataDir, ['network', 'close', '--network', closed]);
  const erased = idOf(await cli(dataDir, ['network', 'create', '--name', 'Erased Network', '--referred-at', new Date().toISOString()]));
  await cli(dataDir, ['network', 'delete', '--network', erased, '--confirm']);
  return { server, sealedMeeting: seeded.meetingId, openMeeting, written, session: pat };
}

function write(client: DocClient, line: string): string {
  client.addParagraph(line);
  return line;
}

function storedRows(dataDir: string, docName: string): number {
  const db = readSqlite(dataDir);
  try {
    return Number(db.prepare('SELECT COUNT(*) AS n FROM doc_updates WHERE doc_name = ?').get(docName)?.['n']);
  } finally {
    db.close();
  }
}

beforeAll(async () => {
  source = await buildSource();
}, 240_000);

afterAll(async () => {
  for (const done of sourceCleanups.splice(0).reverse()) await done();
});

// The three run in order on one source: the first while its server runs, the others once it was stopped.
describe('db copy into PostgreSQL', () => {
  it('copies while the server runs and a client writes: the copy is equal and holds every edit acknowledged before it began', async () => {
    const target = await testDatabase(false);
    const [writer, observer] = await Promise.all([joinAndConnect(source.session, source.openMeeting, 'Late writer'), joinAndConnect(source.session, source.openMeeting, 'Observer')]);
    cleanup(() => writer.client.destroy(), () => observer.client.destroy());
    let n = 0;
    const timer = setInterval(() => writer.client.addParagraph(`written during the copy ${n++}`), 20);
    cleanup(() => clearInterval(timer));
    await vi.waitFor(() => expect(observer.client.text()).toContain('written during the copy 20'), { timeout: 15_000 });
    // The observer sees only what the server stored (it relays nothing else), so this was acknowledged.
    const acknowledged = paragraphs(observer.client.text());

    const copy = await dbCopy(source.server.dataDir, target.url);
    clearInterval(timer);
    await waitUntilStored(writer.client.provider);

    expect(copy.status).toBe(0);
    expect(copy.answer).toMatchObject({ equal: true });
    const rows = await query<{ data: Buffer }>(target.url, 'SELECT data FROM doc_updates WHERE doc_name = $1 ORDER BY seq', [`meeting-${source.openMeeting}`]);
    const copied = paragraphs(notesPlainText(docOf(rows.map((row) => row.data))));
    for (const line of acknowledged) expect(copied).toContain(line);
    const final = paragraphs(writer.client.text());
    for (const line of copied) expect(final).toContain(line);
  }, 120_000);

  it('copies every row of every table and every document of a stopped server, proves them equal, and refuses to copy again', async () => {
    // Stopped hard, so that the open meeting's log keeps its tail after the snapshot (a clean stop compacts it).
    await source.server.stop('SIGKILL');
    const target = await testDatabase(false);
    const copy = await dbCopy(source.server.dataDir, target.url);
    expect(copy.answer['differences']).toBeUndefined();
    expect(copy.status).toBe(0);
    expect(copy.stdout).not.toContain(PERSON);
    expect(copy.stdout).not.toContain(MEMBER);
    expect(copy.stdout).not.toContain('open line');

    const sqlite = readSqlite(source.server.dataDir);
    cleanup(() => sqlite.close());
    const tables = sqlite
      .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'schema_migrations' ORDER BY name")
      .all()
      .map((row) => String(row['name']));
    const sqliteCounts = Object.fromEntries(tables.map((table) => [table, Number(sqlite.prepare(`SELECT COUNT(*) AS n FROM "${table}"`).get()?.['n'])]));
    const postgresCounts = await postgresTables(target.url);
    const docNames = sqlite.prepare('SELECT DISTINCT doc_name FROM doc_updates').all();
    expect(copy.answer).toMatchObject({ equal: true, tables: sqliteCounts, documents: docNames.length });
    expect(copy.answer['rows']).toBe(Object.values(sqliteCounts).reduce((sum, n) => sum + n, 0));
    for (const table of tables) expect({ table, rows: postgresCounts[table] }).toEqual({ table, rows: sqliteCounts[table] });
    // The data is realistic: every table the server and CLI fill without LiveKit holds rows (attendance and
    // webhook deliveries come from LiveKit's webhooks, login failures from wrong passwords).
    const empty = tables.filter((table) => sqliteCounts[table] === 0);
    expect(empty).toEqual(['attendance', 'login_failures', 'webhook_deliveries']);

    const marked = sqlite.prepare('SELECT id, person_member_id FROM networks WHERE person_member_id IS NOT NULL').all();
    expect(marked).toHaveLength(1);
    expect(await query(target.url, 'SELECT id, person_member_id FROM networks WHERE person_member_id IS NOT NULL')).toEqual(marked.map((row) => ({ ...row })));

    for (const meeting of [source.sealedMeeting, source.openMeeting]) {
      const docName = `meeting-${meeting}`;
      const fromSqlite = sqlite.prepare('SELECT seq, data FROM doc_updates WHERE doc_name = ? ORDER BY seq').all(docName);
      const fromPostgres = await query<{ seq: string; data: Buffer }>(target.url, 'SELECT seq, data FROM doc_updates WHERE doc_name = $1 ORDER BY seq', [docName]);
      expect(fromPostgres.map((row) => Number(row.seq))).toEqual(fromSqlite.map((row) => Number(row['seq'])));
      const [a, b] = [docOf(fromSqlite.map((row) => row['data'] as Uint8Array)), docOf(fromPostgres.map((row) => row.data))];
      expect(Buffer.from(Y.encodeStateAsUpdate(b))).toEqual(Buffer.from(Y.encodeStateAsUpdate(a)));
      const head = await query<{ last_seq: string; epoch: string }>(target.url, 'SELECT last_seq, epoch FROM doc_heads WHERE doc_name = $1', [docName]);
      expect(head).toEqual([{ last_seq: String(fromSqlite.at(-1)?.['seq']), epoch: '0' }]);
    }
    const sealedText = paragraphs(notesPlainText(docOf((await query<{ data: Buffer }>(target.url, 'SELECT data FROM doc_updates WHERE doc_name = $1 ORDER BY seq', [`meeting-${source.sealedMeeting}`])).map((row) => row.data))));
    expect([...sealedText].sort()).toEqual([...source.written.sealed].sort());
    const openRows = await query<{ seq: string; data: Buffer }>(target.url, 'SELECT seq, data FROM doc_updates WHERE doc_name = $1 ORDER BY seq', [`meeting-${source.openMeeting}`]);
    // A compacted log: fewer rows than edits, numbered on from the snapshot's number.
    expect(openRows.length).toBeLessThan(source.written.open.length);
    expect(Number(openRows.at(-1)?.seq)).toBeGreaterThan(openRows.length);
    for (const line of source.written.open) expect(paragraphs(notesPlainText(docOf(openRows.map((row) => row.data))))).toContain(line);

    // Counters go on past the copied rows and SQLite's own AUTOINCREMENT counter.
    const highest = Number(sqlite.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'audit_log'").get()?.['seq']);
    const [next] = await query<{ id: string }>(target.url, "INSERT INTO audit_log (at, actor_kind, action) VALUES ('2026-12-02T00:00:00Z', 'system', 'probe') RETURNING id");
    expect(Number(next?.id)).toBe(highest + 1);

    const again = await dbCopy(source.server.dataDir, target.url);
    expect(again.status).toBe(1);
    expect(again.answer).toMatchObject({ error: { code: 'conflict', message: expect.stringMatching(/not empty.*audit_log/) as unknown } });
    expect(await postgresTables(target.url)).toEqual({ ...postgresCounts, audit_log: (postgresCounts['audit_log'] ?? 0) + 1 });
    expect(readdirSync(source.server.dataDir).filter((name) => name.startsWith('.db-copy'))).toEqual([]);
  }, 120_000);

  it('reports the tables and documents that differ, by name only, when the target no longer matches', async () => {
    const target = await testDatabase(false);
    expect(await copyDataDirToPostgres(source.server.dataDir, target.url)).toMatchObject({ equal: true });
    const snapshot = await snapshotDataDir(source.server.dataDir);
    cleanup(() => snapshot.dispose());
    const pool = await openPostgres(target.url, { max: 2 });
    cleanup(() => pool.end());
    const plan = await planCopy(snapshot.db, pool);
    expect(await verifyCopy(snapshot.db, pool, plan)).toMatchObject({ tables: [], documents: [] });

    await pool.query("UPDATE network_members SET relationship = 'cousin'");
    const extra = new Y.Doc();
    extra.getMap('stray').set('key', 'value');
    await pool.query('INSERT INTO doc_updates (doc_name, seq, data) SELECT doc_name, last_seq + 1, $2 FROM doc_heads WHERE doc_name = $1', [`meeting-${source.openMeeting}`, Y.encodeStateAsUpdate(extra)]);
    const found = await verifyCopy(snapshot.db, pool, plan);
    expect([...found.tables].sort()).toEqual(['doc_updates', 'network_members']);
    expect(found.documents).toEqual([`meeting-${source.openMeeting}`]);
  });
});

describe('db copy refuses, with one error, and changes nothing', () => {
  it('a malformed URL, without repeating its password', async () => {
    const dataDir = emptyDataDir();
    for (const url of ['postgres://pat:s3cret@localhost:99999/polyphony', 'postgres//localhost/polyphony']) {
      const copy = await dbCopy(dataDir, url);
      expect(copy.status).toBe(2);
      expect(copy.answer).toMatchObject({ error: { code: 'bad_request', message: expect.stringMatching(/^--to is not a usable PostgreSQL URL/) as unknown } });
      expect(copy.stdout).not.toContain('s3cret');
    }
  });

  it('a database that cannot be reached', async () => {
    const copy = await dbCopy(emptyDataDir(), 'postgresql://polyphony@localhost/polyphony?host=/nonexistent/polyphony-socket-dir');
    expect(copy.status).toBe(1);
    expect(copy.answer).toMatchObject({ error: { code: 'internal', message: expect.stringMatching(/Could not connect to the PostgreSQL database named by --to/) as unknown } });
  });

  it('a target with a row in one table, or with tables that are not Polyphony’s', async () => {
    const filled = await testDatabase(true);
    await query(filled.url, "INSERT INTO settings (key, value) VALUES ('someone', 'was here')");
    const before = await postgresTables(filled.url);
    const copy = await dbCopy(emptyDataDir(), filled.url);
    expect(copy.status).toBe(1);
    expect(copy.answer).toMatchObject({ error: { code: 'conflict', message: expect.stringMatching(/not empty: settings holds rows/) as unknown } });
    expect(await postgresTables(filled.url)).toEqual(before);

    const foreign = await testDatabase(false);
    await query(foreign.url, 'CREATE TABLE patients (id INTEGER)');
    const refused = await dbCopy(emptyDataDir(), foreign.url);
    expect(refused.answer).toMatchObject({ error: { code: 'conflict', message: expect.stringMatching(/not Polyphony's \(patients\)/) as unknown } });
    expect(await postgresTables(foreign.url)).toEqual({ patients: 0 });
  });

  it('a data directory of a newer release, before connecting to the target', async () => {
    const dataDir = tempDir();
    const db = openDatabase(dataDir);
    db.exec("INSERT INTO schema_migrations (version, applied_at) VALUES (999, 'later')");
    db.close();
    const target = await testDatabase(false);
    const copy = await dbCopy(dataDir, target.url);
    expect(copy.status).toBe(1);
    expect(copy.answer).toMatchObject({ error: { code: 'conflict', message: expect.stringMatching(/data directory was written by a newer Polyphony release \(schema versions 999/) as unknown } });
    expect(await postgresTables(target.url)).toEqual({});
    expect(readdirSync(dataDir).filter((name) => name.startsWith('.db-copy'))).toEqual([]);
  });

  it('a data directory without a database, creating none', async () => {
    const dataDir = tempDir();
    const copy = await dbCopy(dataDir, 'postgresql://polyphony@localhost/polyphony?host=/nonexistent/polyphony-socket-dir');
    expect(copy.status).toBe(1);
    expect(copy.answer).toMatchObject({ error: { code: 'not_found', message: expect.stringMatching(/no database in .* to copy/) as unknown } });
    expect(readdirSync(dataDir)).toEqual([]);
  });

  it('rolls back a copy that fails half way: the target holds no row', async () => {
    // Two current assignments of one person to one network: SQLite's schema lets them be, PostgreSQL's
    // partial unique index does not, so the copy fails after users and networks were inserted.
    const dataDir = tempDir();
    const db = openDatabase(dataDir);
    db.exec(`
      INSERT INTO users (id, email, name, role, password_hash, created_at) VALUES ('u1', 'pat@team.org', 'Pat', 'practitioner', 'x', '2026-12-01T00:00:00Z');
      INSERT INTO networks (id, person_name, referred_at, created_at) VALUES ('n1', 'Jo', '2026-12-01T00:00:00Z', '2026-12-01T00:00:00Z');
      INSERT INTO network_team (network_id, user_id, assigned_at) VALUES ('n1', 'u1', '2026-12-01T00:00:00Z'), ('n1', 'u1', '2026-12-01T00:00:01Z');
    `);
    db.close();
    const target = await testDatabase(false);
    const copy = await dbCopy(dataDir, target.url);
    expect(copy.status).toBe(1);
    expect(copy.answer).toMatchObject({ error: { code: 'internal', message: expect.stringMatching(/copy failed and was rolled back.*network_team_current/) as unknown } });
    const counts = await postgresTables(target.url);
    expect(Object.keys(counts)).toContain('users');
    expect(Object.entries(counts).filter(([table, rows]) => rows > 0 && table !== 'schema_migrations')).toEqual([]);
  });

  it('a target of a newer release', async () => {
    const target = await testDatabase(false);
    await query(target.url, "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL); INSERT INTO schema_migrations VALUES (1, 'then'), (999, 'later')");
    const copy = await dbCopy(emptyDataDir(), target.url);
    expect(copy.status).toBe(1);
    expect(copy.answer).toMatchObject({ error: { code: 'conflict', message: expect.stringMatching(/target database was written by a newer Polyphony release \(schema versions 999/) as unknown } });
    expect(await postgresTables(target.url)).toEqual({ schema_migrations: 2 });
  });
});
