import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SQLInputValue } from 'node:sqlite';
import { openDatabase } from '../../../server/store/database.ts';
import { openPostgres } from '../../../server/store/postgres/database.ts';
import { createPostgresStores, type PostgresStores } from '../../../server/store/postgres/stores.ts';
import { createSqliteStores } from '../../../server/store/stores.ts';
import { createTestDatabase } from '../../helpers/postgresDatabase.ts';

/** The stores both engines implement so far (server/store/postgres/stores.ts). */
export type ContractStores = PostgresStores;

/** One engine's database, fresh for one test. */
export interface EngineDatabase {
  stores: ContractStores;
  /** Another, independent set of stores on the same database: a second connection, as another writer would have. */
  another(): Promise<ContractStores>;
  /**
   * Runs SQL for what no contracted store writes yet (meetings, erasures): `$1`, `$2`… placeholders and SQL
   * both engines understand.
   */
  exec(sql: string, params?: SQLInputValue[]): Promise<void>;
  /** As exec, and answers the rows (SQL of this engine's dialect: see `Engine.name`). */
  rows(sql: string, params?: SQLInputValue[]): Promise<Record<string, unknown>[]>;
  close(): Promise<void>;
}

export interface Engine {
  name: 'sqlite' | 'postgres';
  open(): Promise<EngineDatabase>;
}

const sqlite: Engine = {
  name: 'sqlite',
  async open() {
    const dir = mkdtempSync(join(tmpdir(), 'polyphony-contract-'));
    const connections = [openDatabase(dir)];
    const [db] = connections;
    if (!db) throw new Error('no connection');
    return {
      stores: createSqliteStores(db),
      async another() {
        const second = openDatabase(dir);
        connections.push(second);
        return createSqliteStores(second);
      },
      async exec(sql, params = []) {
        db.prepare(sql.replace(/\$(\d+)/g, '?$1')).run(...params);
      },
      async rows(sql, params = []) {
        return db.prepare(sql.replace(/\$(\d+)/g, '?$1')).all(...params);
      },
      async close() {
        for (const connection of connections) connection.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  },
};

const postgres: Engine = {
  name: 'postgres',
  async open() {
    const database = await createTestDatabase({ migrated: true });
    const pools = [await openPostgres(database.url, { max: 4 })];
    const [pool] = pools;
    if (!pool) throw new Error('no pool');
    return {
      stores: createPostgresStores(pool),
      async another() {
        const second = await openPostgres(database.url, { max: 4 });
        pools.push(second);
        return createPostgresStores(second);
      },
      async exec(sql, params = []) {
        await pool.query(sql, params);
      },
      async rows(sql, params = []) {
        return (await pool.query<Record<string, unknown>>(sql, params)).rows;
      },
      async close() {
        for (const each of pools) await each.end();
        await database.drop();
      },
    };
  },
};

/** Every engine, for describe.each: each contract test runs on both. */
export const ENGINES: readonly Engine[] = [sqlite, postgres];
