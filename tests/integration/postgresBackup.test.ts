import { execFile } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { openDatabase } from '../../server/store/database.ts';
import { notesPlainText } from '../../shared/doc/schema.ts';
import { cli } from '../helpers/cli.ts';
import { useCleanups } from '../helpers/cleanups.ts';
import { joinAndConnect } from '../helpers/docClient.ts';
import { HttpSession } from '../helpers/httpSession.ts';
import { meetingsWithWriters } from '../helpers/meetingsWithWriters.ts';
import { createTestDatabase, queryRows } from '../helpers/postgresDatabase.ts';
import { addUser, PASSWORD } from '../helpers/seed.ts';
import { startServerProcess, type ServerProcess } from '../helpers/serverProcess.ts';
import { pinEngineOf } from '../helpers/testStores.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const run = promisify(execFile);
const cleanup = useCleanups();
const WRITERS = 5;
/** Where Debian's PostgreSQL 15 programs are (scripts/postgres.sh runs the test server from there too). */
const PG_BIN = process.env['PG_BIN'] ?? '/usr/lib/postgresql/15/bin';

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'polyphony-pgbackup-'));
  cleanup(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A new database on the run's PostgreSQL: empty, or migrated as a server leaves it. */
async function database(migrated: boolean): Promise<string> {
  const made = await createTestDatabase({ migrated });
  cleanup(() => made.drop());
  return made.url;
}

/** A data directory whose server and ops CLI use `url` (as a deployment keeps DATABASE_URL beside DATA_DIR). */
function dataDirOn(url: string, dir = tempDir()): string {
  pinEngineOf(dir, { DATABASE_URL: url });
  return dir;
}

async function server(dataDir: string): Promise<ServerProcess> {
  const started = await startServerProcess({ dataDir, env: { LIVEKIT: 'off' } });
  cleanup(() => started.stop());
  return started;
}

interface Ran {
  status: number;
  answer: Record<string, unknown>;
}

/** `polyphony … --json` as an operator runs it, with exactly the environment given (DATABASE_URL or not). */
async function polyphony(env: Record<string, string>, args: string[]): Promise<Ran> {
  try {
    const { stdout } = await run(process.execPath, ['server/cli/main.ts', ...args, '--json'], { cwd: ROOT, env: { ...process.env, ...env } });
    return { status: 0, answer: JSON.parse(stdout) as Record<string, unknown> };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string };
    if (typeof failed.code !== 'number' || !failed.stdout) throw error;
    return { status: failed.code, answer: JSON.parse(failed.stdout) as Record<string, unknown> };
  }
}

/** Each meeting's document as a fresh stock client receives it from `url`. */
async function servedDocs(url: string, meetings: string[]): Promise<Y.Doc[]> {
  const session = new HttpSession(url);
  await session.login('pat@team.org', PASSWORD);
  return Promise.all(
    meetings.map(async (id) => {
      const { client } = await joinAndConnect(session, id, 'Reader');
      cleanup(() => client.destroy());
      return client.doc;
    }),
  );
}

function paragraphs(doc: Y.Doc): Set<string> {
  return new Set(notesPlainText(doc).split('\n').filter(Boolean));
}

/** Every row of every table (each row as PostgreSQL's text of it), sorted, in one snapshot. */
async function everyRow(url: string): Promise<Record<string, string[]>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const tables = await client.query<{ name: string }>("SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1");
    const rows: Record<string, string[]> = {};
    // Every column but a lease's end (doc_heads.lease_until): the running source renews it every 500 ms, and
    // it says only until when that process may write, not what anyone wrote.
    const row = `(to_jsonb(t) - 'lease_until')::text`;
    for (const { name } of tables.rows) rows[name] = (await client.query<{ row: string }>(`SELECT ${row} AS row FROM "${name}" t ORDER BY ${row} COLLATE "C"`)).rows.map((r) => r.row);
    await client.query('COMMIT');
    return rows;
  } finally {
    await client.end();
  }
}

/** The database's tables and row counts: what "unchanged" is checked against. */
async function tableCounts(url: string): Promise<Record<string, number>> {
  return Object.fromEntries(Object.entries(await everyRow(url)).map(([table, rows]) => [table, rows.length]));
}

describe('backup and restore on PostgreSQL', () => {
  it('taken while five clients write through a server on PostgreSQL: holds every edit acknowledged before it began, and nothing the server never had', async () => {
    const source = await server(dataDirOn(await database(true)));
    const { meetings, observers, stopWriting, written } = await meetingsWithWriters(source, WRITERS, cleanup);
    // What the observers see was committed first (the server relays only what PostgreSQL has committed).
    await vi.waitFor(() => observers.forEach((observer) => expect(paragraphs(observer.doc).size).toBeGreaterThan(20)), { timeout: 30_000 });
    const acknowledged = observers.map((observer) => paragraphs(observer.doc));
    const file = join(tempDir(), 'running.backup');
    const backup = await cli(source.dataDir, ['backup', '--out', file]);
    expect(backup).toMatchObject({ out: file, engine: 'postgres', entries: [{ name: 'polyphony.pgdump' }, { name: 'server-secret' }] });
    const atBackup = written();
    await vi.waitFor(() => expect(written()).toBeGreaterThan(atBackup + 50), { timeout: 30_000 });
    stopWriting();

    const target = dataDirOn(await database(false), join(tempDir(), 'restored'));
    expect(await cli(target, ['restore', '--from', file])).toMatchObject({ engine: 'postgres', database: expect.stringContaining('test_') as unknown });
    const restored = await server(target);
    const finalDocs = await servedDocs(source.url, meetings);
    const restoredDocs = await servedDocs(restored.url, meetings);
    meetings.forEach((_, i) => {
      const [before, after, last] = [acknowledged[i] ?? new Set(), paragraphs(restoredDocs[i] ?? new Y.Doc()), paragraphs(finalDocs[i] ?? new Y.Doc())];
      expect(before.size).toBeGreaterThan(10);
      for (const line of before) expect(after).toContain(line);
      for (const line of after) expect(last).toContain(line);
      const restoredClocks = Y.decodeStateVector(Y.encodeStateVector(restoredDocs[i] ?? new Y.Doc()));
      const finalClocks = Y.decodeStateVector(Y.encodeStateVector(finalDocs[i] ?? new Y.Doc()));
      for (const [client, clock] of restoredClocks) expect(finalClocks.get(client) ?? 0).toBeGreaterThanOrEqual(clock);
    });
  }, 180_000);

  it('taken once writing stopped: every table row equal and every document byte-identical on a server started on the restored database', async () => {
    const sourceUrl = await database(true);
    const source = await server(dataDirOn(sourceUrl));
    const { meetings, writers, stopWriting, written } = await meetingsWithWriters(source, WRITERS, cleanup);
    await vi.waitFor(() => expect(written()).toBeGreaterThan(100), { timeout: 30_000 });
    stopWriting();
    const sourceDocs = await servedDocs(source.url, meetings);
    // Every writer's last line has reached a fresh reader, so it is stored (the server relays only what it stored).
    await vi.waitFor(() => writers.forEach((w, i) => expect(Y.encodeStateVector(sourceDocs[i % 2] ?? new Y.Doc())).toEqual(Y.encodeStateVector(w.doc))), { timeout: 30_000 });

    const file = join(tempDir(), 'quiet.backup');
    await cli(source.dataDir, ['backup', '--out', file]);
    const sourceRows = await everyRow(sourceUrl);
    const targetUrl = await database(false);
    const target = dataDirOn(targetUrl, join(tempDir(), 'restored'));
    await cli(target, ['restore', '--from', file]);
    const restoredRows = await everyRow(targetUrl);
    expect(Object.keys(restoredRows)).toEqual(Object.keys(sourceRows));
    expect(sourceRows['doc_updates']?.length).toBeGreaterThan(0);
    for (const table of Object.keys(sourceRows)) expect({ table, rows: restoredRows[table] }).toEqual({ table, rows: sourceRows[table] });
    expect(readFileSync(join(target, 'server-secret'))).toEqual(readFileSync(join(source.dataDir, 'server-secret')));

    const restored = await server(target);
    const restoredDocs = await servedDocs(restored.url, meetings);
    const again = await servedDocs(source.url, meetings);
    meetings.forEach((_, i) => {
      expect(Buffer.from(Y.encodeStateAsUpdate(restoredDocs[i] ?? new Y.Doc()))).toEqual(Buffer.from(Y.encodeStateAsUpdate(again[i] ?? new Y.Doc())));
    });
  }, 180_000);
});

describe('a PostgreSQL backup and restore that cannot be done: one clear error, nothing changed', () => {
  /** A source database with a user in it, its backup file, and the environment that reaches it. */
  async function backedUp(): Promise<{ file: string; sourceDir: string; sourceUrl: string }> {
    const sourceUrl = await database(true);
    const sourceDir = dataDirOn(sourceUrl);
    await addUser(sourceDir, 'pat@team.org');
    const file = join(tempDir(), 'source.backup');
    expect(await cli(sourceDir, ['backup', '--out', file])).toMatchObject({ engine: 'postgres' });
    return { file, sourceDir, sourceUrl };
  }

  it('refuses a cut file, a non-empty database and a backup of the other engine, each before writing anything', async () => {
    const { file } = await backedUp();
    const emptyUrl = await database(false);
    const dataDir = join(tempDir(), 'restored');

    const cut = join(tempDir(), 'cut.backup');
    const bytes = readFileSync(file);
    writeFileSync(cut, bytes.subarray(0, bytes.length / 2));
    const cutShort = await polyphony({ DATA_DIR: dataDir, DATABASE_URL: emptyUrl }, ['restore', '--from', cut]);
    expect(cutShort).toMatchObject({ status: 2, answer: { error: { code: 'bad_request', message: expect.stringMatching(/cut short/) as unknown } } });
    expect(await tableCounts(emptyUrl)).toEqual({});
    expect(existsSync(dataDir)).toBe(false);

    const filledUrl = await database(true);
    const filledDir = dataDirOn(filledUrl);
    await addUser(filledDir, 'someone@else.org');
    const before = await everyRow(filledUrl);
    const filled = await polyphony({ DATA_DIR: dataDir, DATABASE_URL: filledUrl }, ['restore', '--from', file]);
    expect(filled).toMatchObject({ status: 1, answer: { error: { code: 'conflict', message: expect.stringMatching(/^The database named by DATABASE_URL is not empty \(it holds table public\.\w+/) as unknown } } });
    expect(await everyRow(filledUrl)).toEqual(before);
    expect(existsSync(dataDir)).toBe(false);

    const sqliteDir = tempDir();
    openDatabase(sqliteDir).close();
    const sqliteBackup = join(tempDir(), 'sqlite.backup');
    expect(await polyphony({ DATA_DIR: sqliteDir }, ['backup', '--out', sqliteBackup])).toMatchObject({ status: 0, answer: { engine: 'sqlite' } });
    const intoPostgres = await polyphony({ DATA_DIR: dataDir, DATABASE_URL: emptyUrl }, ['restore', '--from', sqliteBackup]);
    expect(intoPostgres).toMatchObject({ status: 1, answer: { error: { code: 'conflict', message: expect.stringMatching(/SQLite data directory.*db copy --to postgres/) as unknown } } });
    const intoSqlite = await polyphony({ DATA_DIR: dataDir }, ['restore', '--from', file]);
    expect(intoSqlite).toMatchObject({ status: 1, answer: { error: { code: 'conflict', message: expect.stringMatching(/PostgreSQL database but DATABASE_URL is not set/) as unknown } } });
    expect(await tableCounts(emptyUrl)).toEqual({});
    expect(existsSync(dataDir)).toBe(false);

    // And after all that, the same file restores into the same empty database.
    expect(await polyphony({ DATA_DIR: dataDir, DATABASE_URL: emptyUrl }, ['restore', '--from', file])).toMatchObject({ status: 0 });
    expect((await queryRows<{ email: string }>(emptyUrl, 'SELECT email FROM users')).map((row) => row.email)).toEqual(['pat@team.org']);
  }, 240_000);

  it('rolls a failing pg_restore back whole: the database stays empty and the server secret is taken out of DATA_DIR again', async () => {
    const { file } = await backedUp();
    const emptyUrl = new URL(await database(false));
    // A role that may connect but not create tables in public (PostgreSQL 15 grants that to the owner only).
    const role = `restorer_${Date.now().toString(36)}`;
    const admin = new URL(emptyUrl);
    admin.pathname = '/postgres';
    await queryRows(admin.toString(), `CREATE ROLE ${role} LOGIN`);
    cleanup(async () => void (await queryRows(admin.toString(), `DROP ROLE IF EXISTS ${role}`)));
    emptyUrl.username = role;
    const dataDir = join(tempDir(), 'restored');
    const failed = await polyphony({ DATA_DIR: dataDir, DATABASE_URL: emptyUrl.toString() }, ['restore', '--from', file]);
    expect(failed).toMatchObject({ status: 1, answer: { error: { code: 'internal', message: expect.stringMatching(/^pg_restore failed .*permission denied.*The database was left as it was\.$/) as unknown } } });
    expect(await tableCounts(emptyUrl.toString())).toEqual({});
    expect(existsSync(dataDir)).toBe(false);
  }, 120_000);

  it('refuses to back up without pg_dump, saying how to get it, and writes no file', async () => {
    const sourceUrl = await database(true);
    const out = join(tempDir(), 'never.backup');
    const missing = await polyphony({ DATA_DIR: tempDir(), DATABASE_URL: sourceUrl, PG_BIN: tempDir() }, ['backup', '--out', out]);
    expect(missing).toMatchObject({ status: 1, answer: { error: { code: 'not_found', message: expect.stringMatching(/pg_dump was not found: install PostgreSQL 15's client programs.*Nothing was written/) as unknown } } });
    expect(readdirSync(join(out, '..'))).toEqual([]);

    const doctor = await polyphony({ DATA_DIR: tempDir(), DATABASE_URL: sourceUrl, PG_BIN: tempDir(), LIVEKIT: 'off', PORT: '0' }, ['doctor']);
    const checks = doctor.answer['checks'] as { name: string; ok: boolean; fix: string | null }[];
    expect(checks.find((check) => check.name === 'pg_dump')).toMatchObject({ ok: false, fix: expect.stringMatching(/^Install PostgreSQL 15's client programs/) as unknown });
    expect(checks.find((check) => check.name === 'database')).toMatchObject({ ok: true });
    const withPgDump = await polyphony({ DATA_DIR: tempDir(), DATABASE_URL: sourceUrl, PG_BIN, LIVEKIT: 'off', PORT: '0' }, ['doctor']);
    expect((withPgDump.answer['checks'] as typeof checks).find((check) => check.name === 'pg_dump')).toMatchObject({ ok: true });
  }, 60_000);

  it('never puts the password on the command line: pg_dump and pg_restore get it from a private passfile', async () => {
    const sourceUrl = new URL(await database(true));
    const targetUrl = new URL(await database(false));
    for (const url of [sourceUrl, targetUrl]) url.password = 'not:on\\the-command-line';
    // The real programs, through a wrapper that records how they were called (the test server trusts its socket, so any password logs in).
    const bin = tempDir();
    const record = join(bin, 'calls');
    for (const tool of ['pg_dump', 'pg_restore']) {
      writeFileSync(join(bin, tool), `#!/bin/sh\necho "${tool} $*" >> '${record}'\n[ -n "$PGPASSFILE" ] && cat "$PGPASSFILE" >> '${record}'\nexec '${PG_BIN}/${tool}' "$@"\n`);
      chmodSync(join(bin, tool), 0o700);
    }
    const file = join(tempDir(), 'secret.backup');
    expect(await polyphony({ DATA_DIR: tempDir(), DATABASE_URL: sourceUrl.toString(), PG_BIN: bin }, ['backup', '--out', file])).toMatchObject({ status: 0 });
    expect(await polyphony({ DATA_DIR: join(tempDir(), 'restored'), DATABASE_URL: targetUrl.toString(), PG_BIN: bin }, ['restore', '--from', file])).toMatchObject({ status: 0 });
    const calls = readFileSync(record, 'utf8');
    expect(calls).toMatch(/^pg_dump --format=custom --no-owner --no-privileges --snapshot=\S+ --file=\S+ --dbname=postgres/m);
    expect(calls).toMatch(/^pg_restore --single-transaction --exit-on-error --no-owner --no-privileges \S+ --dbname=postgres/m);
    const commandLines = calls.split('\n').filter((line) => line.startsWith('pg_'));
    for (const line of commandLines) expect(line).not.toContain('the-command-line');
    expect(calls).toContain('*:*:*:*:not\\:on\\\\the-command-line');
  }, 60_000);
});
