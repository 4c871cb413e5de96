import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { KNOWN_SCHEMA_VERSIONS, NewerSchemaError, openDatabase } from '../../../server/store/database.ts';
import { appliedPostgresVersions, KNOWN_POSTGRES_SCHEMA_VERSIONS, openPostgres, PostgresUnreachableError } from '../../../server/store/postgres/database.ts';
import { DatabaseUrlError } from '../../../server/store/postgres/databaseUrl.ts';
import { createTestDatabase, queryRows, type TestDatabase } from '../../helpers/postgresDatabase.ts';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function emptyDatabase(): Promise<TestDatabase> {
  const database = await createTestDatabase({ migrated: false });
  cleanups.push(() => database.drop());
  return database;
}

/** Every table's columns, as "table.column", on SQLite. */
function sqliteColumns(): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'polyphony-schema-'));
  const db = openDatabase(dir);
  try {
    const tables = db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all().map((row) => String(row['name']));
    return tables.flatMap((table) => db.prepare(`SELECT name FROM pragma_table_info('${table}')`).all().map((row) => `${table}.${String(row['name'])}`)).sort();
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('the PostgreSQL schema', () => {
  it('migrates an empty database to the same versions, tables and columns as SQLite (plus the document heads and the chosen order)', async () => {
    const database = await emptyDatabase();
    const pool = await openPostgres(database.url, { max: 2 });
    cleanups.push(() => pool.end());
    expect(await appliedPostgresVersions(pool)).toEqual([...KNOWN_SCHEMA_VERSIONS].sort((a, b) => a - b));
    expect(KNOWN_POSTGRES_SCHEMA_VERSIONS).toEqual(KNOWN_SCHEMA_VERSIONS);
    const columns = await queryRows<{ column: string }>(
      database.url,
      "SELECT table_name || '.' || column_name AS column FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> 'doc_heads'" +
        // For SQLite's rowid, which meeting_team is read back in (server/store/postgres/meetingTeamStore.ts).
        " AND (table_name, column_name) <> ('meeting_team', 'chosen_order')",
    );
    expect(columns.map((row) => row.column).sort()).toEqual(sqliteColumns());
  });

  it('is migrated once when two instances start on a new database together', async () => {
    const database = await emptyDatabase();
    const pools = await Promise.all([openPostgres(database.url, { max: 1 }), openPostgres(database.url, { max: 1 })]);
    cleanups.push(async () => void (await Promise.all(pools.map((pool) => pool.end()))));
    const rows = await queryRows<{ n: string }>(database.url, 'SELECT COUNT(*) AS n FROM schema_migrations');
    expect(Number(rows[0]?.n)).toBe(KNOWN_POSTGRES_SCHEMA_VERSIONS.length);
  });

  it('refuses a database of a newer schema version and changes nothing in it', async () => {
    const database = await emptyDatabase();
    await queryRows(database.url, "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL); INSERT INTO schema_migrations VALUES (1, 'then'), (999, 'later')");
    const opened = openPostgres(database.url, { max: 1 });
    await expect(opened).rejects.toBeInstanceOf(NewerSchemaError);
    await expect(opened).rejects.toThrow(/This database was written by a newer Polyphony release \(schema versions 999/);
    const tables = await queryRows<{ table_name: string }>(database.url, "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'");
    expect(tables.map((row) => row.table_name)).toEqual(['schema_migrations']);
  });

  it('says plainly that PostgreSQL cannot be reached, and that a malformed URL is malformed', async () => {
    const nowhere = 'postgresql://polyphony@localhost/postgres?host=/nonexistent/polyphony-socket-dir';
    await expect(openPostgres(nowhere)).rejects.toBeInstanceOf(PostgresUnreachableError);
    await expect(openPostgres('postgres//localhost/polyphony')).rejects.toBeInstanceOf(DatabaseUrlError);
  });
});
