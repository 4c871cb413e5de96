import pg from 'pg';
import { NewerSchemaError, unknownSchemaVersions } from '../database.ts';
import { validateDatabaseUrl } from './databaseUrl.ts';
import { POSTGRES_MIGRATIONS } from './migrations.ts';
import type { Sql } from './sql.ts';

/** The schema versions this release knows on PostgreSQL (the same numbers as on SQLite). */
export const KNOWN_POSTGRES_SCHEMA_VERSIONS: readonly number[] = POSTGRES_MIGRATIONS.map((migration) => migration.version);

/** Any key: held while migrating, so that instances starting together migrate one after the other. */
const MIGRATION_LOCK = 7_302_115_001;

/** Thrown when the PostgreSQL server named by DATABASE_URL cannot be reached or refuses the login. */
export class PostgresUnreachableError extends Error {
  constructor(cause: unknown) {
    const code = cause instanceof Error && 'code' in cause && typeof cause.code === 'string' ? `${cause.code}: ` : '';
    const detail = cause instanceof Error ? `${code}${cause.message}` : 'unknown error';
    super(`Could not connect to the PostgreSQL database named by DATABASE_URL (${detail}).`, { cause });
    this.name = 'PostgresUnreachableError';
  }
}

export interface PostgresOptions {
  /** Connections in the pool (node-postgres' default is 10). */
  max?: number;
}

/**
 * Connects to the database at `databaseUrl` and brings its schema up to date, refusing (before writing
 * anything) a database that holds migrations this release does not know. Every connection commits
 * synchronously whatever the server's default: an acknowledged note must survive a crash of PostgreSQL too.
 */
export async function openPostgres(databaseUrl: string, options: PostgresOptions = {}): Promise<pg.Pool> {
  const pool = createPostgresPool(databaseUrl, options);
  try {
    await migrate(pool);
    return pool;
  } catch (error) {
    await pool.end();
    throw error;
  }
}

/**
 * A pool on `databaseUrl` without touching the schema (openPostgres migrates): for a second pool of a process
 * that has opened the database already (the document commit thread). Every connection commits
 * synchronously whatever the server's default.
 */
export function createPostgresPool(databaseUrl: string, options: PostgresOptions = {}): pg.Pool {
  const connectionString = validateDatabaseUrl(databaseUrl);
  const pool = new pg.Pool({
    connectionString,
    max: options.max ?? 10,
    connectionTimeoutMillis: 10_000,
    options: '-c synchronous_commit=on',
  });
  // An idle connection the server dropped must not crash the process; the next query gets a new one.
  pool.on('error', () => {});
  // Nor one dropped while checked out between two statements (PostgreSQL restarting mid-transaction): the pool
  // listens only to idle ones, and an 'error' event nobody hears ends the process, every meeting with it. The
  // transaction's next statement then fails, and the connection is released as broken (transaction.ts).
  pool.on('connect', (client) => client.on('error', () => {}));
  return pool;
}

async function migrate(pool: pg.Pool): Promise<void> {
  let client: pg.PoolClient;
  try {
    client = await pool.connect();
  } catch (error) {
    throw new PostgresUnreachableError(error);
  }
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    const newer = unknownSchemaVersions(await appliedPostgresVersions(client), KNOWN_POSTGRES_SCHEMA_VERSIONS);
    if (newer.length > 0) throw new NewerSchemaError(newer, 'database');
    await client.query('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)');
    // Every migration not yet applied, not only those above the highest (see server/store/database.ts).
    const applied = new Set(await appliedPostgresVersions(client));
    for (const migration of POSTGRES_MIGRATIONS) {
      if (applied.has(migration.version)) continue;
      await client.query('BEGIN');
      try {
        await client.query(migration.sql);
        await client.query('INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)', [migration.version, new Date().toISOString()]);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw error;
      }
    }
  } finally {
    // Unlocking fails only on a lost connection, which releases the lock anyway.
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => {});
    client.release();
  }
}

/** The migration versions recorded in the database (empty for a new one). */
export async function appliedPostgresVersions(sql: Sql): Promise<number[]> {
  const table = await sql.query<{ exists: boolean }>("SELECT to_regclass('schema_migrations') IS NOT NULL AS exists");
  if (!table.rows[0]?.exists) return [];
  const rows = await sql.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
  return rows.rows.map((row) => Number(row.version));
}
