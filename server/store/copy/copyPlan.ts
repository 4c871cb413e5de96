import type { DatabaseSync } from 'node:sqlite';
import { ApiError } from '../../errors.ts';
import type { Sql } from '../postgres/sql.ts';
import { isCopyableType, type CopyableType } from './columnValues.ts';
import { foreignKeyOrder, type ForeignKey } from './foreignKeyOrder.ts';
import { quoteIdent } from './quoteIdent.ts';

/** Each engine's record of its own migrations: not copied (the target has applied its own), compared by version. */
export const MIGRATIONS_TABLE = 'schema_migrations';

/**
 * What PostgreSQL has and SQLite has not: the per-document counter and ownership epoch of the document log
 * (postgres/docStore.ts). `db copy` fills it from the copied log instead of copying it.
 */
export const DOC_HEADS_TABLE = 'doc_heads';

/**
 * Columns only PostgreSQL has, each with the SQLite expression that fills it. `meeting_team.chosen_order`:
 * SQLite reads a meeting's team back in rowid order (the order it was chosen in); PostgreSQL has no rowid,
 * so the order is a column there (postgres/migrations.ts, version 15).
 */
const POSTGRES_ONLY_COLUMNS: Readonly<Record<string, Readonly<Record<string, string>>>> = { meeting_team: { chosen_order: 'rowid' } };

export interface CopyColumn {
  name: string;
  /** What reads the column's value on SQLite: the column itself, or what fills a PostgreSQL-only column. */
  sqlite: string;
  type: CopyableType;
  /** A PostgreSQL identity column (SQLite's AUTOINCREMENT): its counter must be set past the copied values. */
  identity: boolean;
}

export interface CopyTable {
  name: string;
  /** In SQLite's column order. */
  columns: CopyColumn[];
  /** The primary key (every column for a table without one): rows are compared in this order. */
  key: string[];
  /** Columns inserted as NULL and set once every table is in (they close a cycle of foreign keys). */
  deferred: string[];
}

/** Every table to copy, in foreign-key order. */
export interface CopyPlan {
  tables: CopyTable[];
}

interface SqliteTable {
  name: string;
  /** SQLite's columns, then the PostgreSQL-only ones it fills. */
  columns: string[];
  key: string[];
  /** The PostgreSQL-only columns and the SQLite expression of each. */
  derived: Readonly<Record<string, string>>;
}

/**
 * The tables and columns read from the SQLite schema, checked against the PostgreSQL one (the two are kept
 * in parity: tests/integration/storeContract/postgresSchema.test.ts), with the PostgreSQL types that decide
 * how each value is converted and the order the target's foreign keys need. A mismatch is refused before a
 * single row is written: it means this release's two schemas differ, and a copy would lose or invent data.
 */
export async function planCopy(db: DatabaseSync, sql: Sql): Promise<CopyPlan> {
  const sqliteTables = readSqliteTables(db);
  const pgColumns = await readPostgresColumns(sql);
  const problems = mismatches(sqliteTables, pgColumns);
  if (problems.length > 0) throw new ApiError('internal', `The PostgreSQL schema does not match the data directory's, so nothing was copied: ${problems.join('; ')}.`);
  const order = foreignKeyOrder(
    sqliteTables.map((table) => table.name),
    await readForeignKeys(sql),
  );
  const byName = new Map(sqliteTables.map((table) => [table.name, table]));
  return {
    tables: order.tables.map((name) => {
      const table = byName.get(name);
      if (!table) throw new Error(`foreignKeyOrder returned a table it was not given: ${name}`);
      const types = pgColumns.get(name) ?? new Map<string, PostgresColumn>();
      const columns = table.columns.map((column) => {
        const pg = types.get(column);
        if (!pg || !isCopyableType(pg.type)) throw new Error(`no copyable PostgreSQL column for ${name}.${column}`);
        return { name: column, sqlite: table.derived[column] ?? quoteIdent(column), type: pg.type, identity: pg.identity };
      });
      return { name, columns, key: table.key, deferred: order.deferred.get(name) ?? [] };
    }),
  };
}

/** The application tables of the SQLite database (not SQLite's own, not the migration record). */
export function readSqliteTables(db: DatabaseSync): SqliteTable[] {
  const names = db
    .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND name <> ? ORDER BY name")
    .all(MIGRATIONS_TABLE)
    .map((row) => String(row['name']));
  return names.map((name) => {
    const info = db.prepare('SELECT name, pk FROM pragma_table_info(?) ORDER BY cid').all(name);
    const columns = info.map((row) => String(row['name']));
    const key = info
      .filter((row) => Number(row['pk']) > 0)
      .sort((a, b) => Number(a['pk']) - Number(b['pk']))
      .map((row) => String(row['name']));
    const derived = POSTGRES_ONLY_COLUMNS[name] ?? {};
    return { name, columns: [...columns, ...Object.keys(derived)], key: key.length > 0 ? key : columns, derived };
  });
}

interface PostgresColumn {
  type: string;
  identity: boolean;
}

/** Every table's columns in the target's schema (the one unqualified names resolve to, as the stores use). */
async function readPostgresColumns(sql: Sql): Promise<Map<string, Map<string, PostgresColumn>>> {
  const result = await sql.query<{ table_name: string; column_name: string; data_type: string; is_identity: string }>(
    'SELECT table_name, column_name, data_type, is_identity FROM information_schema.columns WHERE table_schema = current_schema()',
  );
  const tables = new Map<string, Map<string, PostgresColumn>>();
  for (const row of result.rows) {
    const columns = tables.get(row.table_name) ?? new Map<string, PostgresColumn>();
    columns.set(row.column_name, { type: row.data_type, identity: row.is_identity === 'YES' });
    tables.set(row.table_name, columns);
  }
  return tables;
}

async function readForeignKeys(sql: Sql): Promise<ForeignKey[]> {
  const result = await sql.query<{ table: string; column: string; references: string; not_null: boolean }>(
    `SELECT src.relname AS table, a.attname AS column, dst.relname AS references, a.attnotnull AS not_null
     FROM pg_constraint c
     JOIN pg_class src ON src.oid = c.conrelid
     JOIN pg_class dst ON dst.oid = c.confrelid
     JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = ANY (c.conkey)
     WHERE c.contype = 'f' AND c.connamespace = (SELECT oid FROM pg_namespace WHERE nspname = current_schema())`,
  );
  return result.rows.map((row) => ({ table: row.table, column: row.column, references: row.references, nullable: !row.not_null }));
}

/** What differs between the schemas, by table and column name. */
function mismatches(sqliteTables: readonly SqliteTable[], pgColumns: ReadonlyMap<string, ReadonlyMap<string, PostgresColumn>>): string[] {
  const problems: string[] = [];
  for (const table of sqliteTables) {
    const pg = pgColumns.get(table.name);
    if (!pg) {
      problems.push(`table ${table.name} is missing on PostgreSQL`);
      continue;
    }
    for (const column of table.columns) {
      const type = pg.get(column)?.type;
      if (type === undefined) problems.push(`column ${table.name}.${column} is missing on PostgreSQL`);
      else if (!isCopyableType(type)) problems.push(`column ${table.name}.${column} has a type (${type}) db copy does not know`);
    }
    for (const column of pg.keys()) if (!table.columns.includes(column)) problems.push(`column ${table.name}.${column} is only on PostgreSQL`);
  }
  const known = new Set([...sqliteTables.map((table) => table.name), MIGRATIONS_TABLE, DOC_HEADS_TABLE]);
  for (const name of pgColumns.keys()) if (!known.has(name)) problems.push(`table ${name} is only on PostgreSQL`);
  return problems;
}
