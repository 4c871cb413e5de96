import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DatabaseSync, SQLInputValue } from 'node:sqlite';
import pg from 'pg';
import type { DocumentLeaseStore } from '../../../server/cluster/documentLeases.ts';
import { createSqliteAccessEventStore, type AccessEventStore } from '../../../server/store/accessEventStore.ts';
import { openDatabase } from '../../../server/store/database.ts';
import { createPostgresAccessEventStore } from '../../../server/store/postgres/accessEventStore.ts';
import { openPostgres } from '../../../server/store/postgres/database.ts';
import { createPostgresDocumentLeases } from '../../../server/store/postgres/documentLeases.ts';
import type { Sql } from '../../../server/store/postgres/sql.ts';
import { createPostgresStores, type PostgresStores } from '../../../server/store/postgres/stores.ts';
import { createSqliteStores } from '../../../server/store/stores.ts';
import { createTestDatabase } from '../../helpers/postgresDatabase.ts';

/** The stores both engines implement so far (server/store/postgres/stores.ts), and the access-event outbox. */
export type ContractStores = PostgresStores & { accessEvents: AccessEventStore };

function sqliteContractStores(db: DatabaseSync): ContractStores {
  return { ...createSqliteStores(db), accessEvents: createSqliteAccessEventStore(db) };
}

function postgresContractStores(pool: pg.Pool): ContractStores {
  return { ...createPostgresStores(pool), accessEvents: createPostgresAccessEventStore(pool) };
}

/** One engine's database, fresh for one test. */
export interface EngineDatabase {
  stores: ContractStores;
  /** Another, independent set of stores on the same database: a second connection, as another writer would have. */
  another(): Promise<ContractStores>;
  /**
   * Runs SQL for what no contracted store writes (erasures, rows of older releases): `$1`, `$2`…
   * placeholders and SQL both engines understand.
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
      stores: sqliteContractStores(db),
      async another() {
        const second = openDatabase(dir);
        connections.push(second);
        return sqliteContractStores(second);
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

/** A transaction a test holds open on a connection of its own: another writer's, caught in flight. */
export interface HeldTransaction {
  /** The transaction's connection, for SQL or for a store's statements (e.g. replaceMeetingTeam). */
  sql: Sql;
  commit(): Promise<void>;
}

/** A PostgreSQL database of the contract tests, with what races on it need. */
export interface PostgresDatabase extends EngineDatabase {
  /** Begins a transaction on a connection of its own; the test commits it (close() ends it otherwise). */
  begin(): Promise<HeldTransaction>;
  /** Whether some connection to this database is waiting for a lock now. */
  someoneWaitsForLock(): Promise<boolean>;
  /** Document leases as the instance `holder` takes them (server/cluster), on a pool of its own. */
  leases(holder: string): Promise<DocumentLeaseStore>;
}

/** PostgreSQL alone, for the races that only a database with several writers can have. */
export const POSTGRES = {
  name: 'postgres',
  async open(): Promise<PostgresDatabase> {
    const database = await createTestDatabase({ migrated: true });
    const pools = [await openPostgres(database.url, { max: 4 })];
    const [pool] = pools;
    if (!pool) throw new Error('no pool');
    const held: pg.Client[] = [];
    return {
      stores: postgresContractStores(pool),
      async another() {
        const second = await openPostgres(database.url, { max: 4 });
        pools.push(second);
        return postgresContractStores(second);
      },
      async exec(sql, params = []) {
        await pool.query(sql, params);
      },
      async begin() {
        const client = new pg.Client({ connectionString: database.url });
        await client.connect();
        held.push(client);
        await client.query('BEGIN');
        return {
          sql: client,
          async commit() {
            await client.query('COMMIT');
          },
        };
      },
      async leases(holder) {
        const own = await openPostgres(database.url, { max: 2 });
        pools.push(own);
        return createPostgresDocumentLeases(own, holder);
      },
      async someoneWaitsForLock() {
        const waiting = await pool.query("SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'");
        return (waiting.rowCount ?? 0) > 0;
      },
      async rows(sql, params = []) {
        return (await pool.query<Record<string, unknown>>(sql, params)).rows;
      },
      async close() {
        for (const client of held) await client.end();
        for (const each of pools) await each.end();
        await database.drop();
      },
    };
  },
} satisfies Engine;

/** Every engine, for describe.each: each contract test runs on both. */
export const ENGINES: readonly Engine[] = [sqlite, POSTGRES];
