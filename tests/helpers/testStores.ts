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
export async function openTestStores(dataDir: string): Promise<{ stores: Stores; close(): Promise<void> }> {
  if (testEngine() === 'sqlite') {
    const db = openDatabase(dataDir);
    return { stores: createSqliteStores(db), close: async () => db.close() };
  }
  const database = await createTestDatabase({ migrated: true });
  const pool = await openPostgres(database.url, { max: 4 });
  return {
    stores: createPostgresStores(pool),
    async close() {
      await pool.end();
      await database.drop();
    },
  };
}

/** The environment that puts a spawned server on the test engine: a fresh PostgreSQL database, or nothing. */
export async function testEngineEnv(): Promise<{ env: Record<string, string>; drop(): Promise<void> }> {
  if (testEngine() === 'sqlite') return { env: {}, drop: async () => {} };
  const database = await createTestDatabase({ migrated: true });
  return { env: { DATABASE_URL: database.url }, drop: () => database.drop() };
}
