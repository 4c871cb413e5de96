import type { DatabaseSync } from 'node:sqlite';
import { openDatabase } from '../../server/store/database.ts';
import { openPostgres } from '../../server/store/postgres/database.ts';
import { createPostgresStores } from '../../server/store/postgres/stores.ts';
import { createSqliteStores, type Stores } from '../../server/store/stores.ts';
import { createTestDatabase } from './postgresDatabase.ts';

/**
 * The engine the integration tests run on: `POLYPHONY_TEST_ENGINE=postgres` (set by the integration-postgres
 * project in vitest.config.ts) puts every server they start on PostgreSQL, each on a database of its own.
 */
export function testEngine(): 'sqlite' | 'postgres' {
  return process.env['POLYPHONY_TEST_ENGINE'] === 'postgres' ? 'postgres' : 'sqlite';
}

/** Stores of the test engine for a server whose data directory is `dataDir`. */
export async function openTestStores(dataDir: string): Promise<{ stores: Stores; db: DatabaseSync | undefined; close(): Promise<void> }> {
  if (testEngine() === 'sqlite') {
    const db = openDatabase(dataDir);
    return { stores: createSqliteStores(db), db, close: async () => db.close() };
  }
  const database = await createTestDatabase({ migrated: true });
  const pool = await openPostgres(database.url, { max: 4 });
  return {
    stores: createPostgresStores(pool),
    db: undefined,
    async close() {
      await pool.end();
      await database.drop();
    },
  };
}

interface EngineEnv {
  env: Record<string, string>;
  drop(): Promise<void>;
}

/**
 * The test engine's database of each data directory: a server restarted on the same data directory (a
 * restart test), or the ops CLI run on it, finds the same PostgreSQL database, as a real deployment keeps
 * its DATABASE_URL beside its DATA_DIR.
 */
const databases = new Map<string, EngineEnv>();

/** The environment that puts a process on `dataDir`'s data: its PostgreSQL database (made on first use), or nothing. */
export async function engineFor(dataDir: string): Promise<EngineEnv> {
  const known = databases.get(dataDir);
  if (known) return known;
  const made = testEngine() === 'sqlite' ? { env: {}, drop: async () => {} } : await freshDatabaseEnv();
  databases.set(dataDir, made);
  return made;
}

/**
 * Puts `dataDir` on a database the test manages itself (e.g. on a PostgreSQL server it pauses): the server
 * and the ops CLI started on `dataDir` get `env`, and nothing is dropped when the directory is forgotten.
 */
export function pinEngineOf(dataDir: string, env: Record<string, string>): void {
  databases.set(dataDir, { env, drop: async () => {} });
}

/** Drops `dataDir`'s PostgreSQL database, if it had one, as its directory is removed. */
export async function forgetEngineOf(dataDir: string): Promise<void> {
  const known = databases.get(dataDir);
  databases.delete(dataDir);
  await known?.drop();
}

async function freshDatabaseEnv(): Promise<EngineEnv> {
  const database = await createTestDatabase({ migrated: true });
  return { env: { DATABASE_URL: database.url }, drop: () => database.drop() };
}
