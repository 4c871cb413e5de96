import pg from 'pg';
import { ApiError } from '../../errors.ts';
import { unknownSchemaVersions } from '../database.ts';
import { appliedPostgresVersions, KNOWN_POSTGRES_SCHEMA_VERSIONS } from '../postgres/database.ts';
import type { Sql } from '../postgres/sql.ts';
import { DOC_HEADS_TABLE, MIGRATIONS_TABLE } from './copyPlan.ts';
import { quoteIdent } from './quoteIdent.ts';

/**
 * Connects to the target and refuses it, before anything is written there, unless it is a database `db copy`
 * may fill: one without tables, or one holding only Polyphony's tables, of a schema version this release
 * knows (older ones are migrated next, as the server would), with no row in any of them. `polyphonyTables`
 * are this release's application tables (read from the data directory's migrated schema).
 */
export async function checkTarget(url: string, polyphonyTables: readonly string[]): Promise<void> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  // A connection the server drops must become the rejected query below, not an unhandled 'error' event.
  client.on('error', () => {});
  try {
    await client.connect();
  } catch (error) {
    throw unreachable(error);
  }
  try {
    await refuseUnlessEmpty(client, polyphonyTables);
  } finally {
    await client.end().catch(() => {});
  }
}

async function refuseUnlessEmpty(sql: Sql, polyphonyTables: readonly string[]): Promise<void> {
  const tables = (
    await sql.query<{ table_name: string }>("SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name")
  ).rows.map((row) => row.table_name);
  const migrated = tables.includes(MIGRATIONS_TABLE);
  const newer = migrated ? unknownSchemaVersions(await appliedPostgresVersions(sql), KNOWN_POSTGRES_SCHEMA_VERSIONS) : [];
  if (newer.length > 0) {
    throw new ApiError('conflict', `The target database was written by a newer Polyphony release (schema versions ${newer.join(', ')} are unknown to this one); nothing was changed in it. Copy with that release, or into a new, empty database.`);
  }
  // Without Polyphony's record of migrations, any table is someone else's.
  const ours = new Set(migrated ? [...polyphonyTables, MIGRATIONS_TABLE, DOC_HEADS_TABLE] : []);
  const foreign = tables.filter((table) => !ours.has(table));
  if (foreign.length > 0) {
    throw new ApiError('conflict', `The target database is not empty: it holds tables that are not Polyphony's (${foreign.join(', ')}); nothing was changed in it. Copy into a new, empty database.`);
  }
  const filled = await tablesWithRows(sql, tables);
  if (filled.length > 0) throw notEmpty(filled);
}

/** The tables among `tables` that hold a row (the migration record is not application data). */
export async function tablesWithRows(sql: Sql, tables: readonly string[]): Promise<string[]> {
  const filled: string[] = [];
  for (const table of tables) {
    if (table === MIGRATIONS_TABLE) continue;
    const result = await sql.query<{ filled: boolean }>(`SELECT EXISTS (SELECT 1 FROM ${quoteIdent(table)}) AS filled`);
    if (result.rows[0]?.filled) filled.push(table);
  }
  return filled;
}

/** The refusal of a target that holds rows. */
export function notEmpty(tables: readonly string[]): ApiError {
  return new ApiError(
    'conflict',
    `The target database is not empty: ${tables.join(', ')} ${tables.length === 1 ? 'holds' : 'hold'} rows; nothing was changed in it. db copy goes only into an empty database, so that nothing there is overwritten or mixed with this data.`,
  );
}

function unreachable(error: unknown): ApiError {
  const code = error instanceof Error && 'code' in error && typeof error.code === 'string' ? `${error.code}: ` : '';
  const detail = error instanceof Error ? error.message : String(error);
  return new ApiError('internal', `Could not connect to the PostgreSQL database named by --to (${code}${detail}); nothing was copied.`);
}
