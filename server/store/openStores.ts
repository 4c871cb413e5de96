import type { DocumentLeaseStore } from '../cluster/documentLeases.ts';
import { openDatabase } from './database.ts';
import { createSqliteAccessEventStore, type AccessEventStore } from './accessEventStore.ts';
import { openPostgres } from './postgres/database.ts';
import { createPostgresAccessEventStore } from './postgres/accessEventStore.ts';
import { openRoutedDocCommits } from './postgres/routedDocCommits.ts';
import { createPostgresDocumentLeases } from './postgres/documentLeases.ts';
import { createPostgresStores } from './postgres/stores.ts';
import { createSqliteStores, type Stores } from './stores.ts';
import { openWorkerDocStore } from './workerDocStore.ts';
import { securePrivateDataDir } from './privateDataDir.ts';

/** Where the data lives: `DATABASE_URL` names a PostgreSQL database, else SQLite in the data directory. */
export type StoreConfig = { engine: 'sqlite'; dataDir: string } | { engine: 'postgres'; databaseUrl: string; dataDir: string };

/** One engine's stores, opened and migrated, with what the process needs around them. */
export interface OpenedStores {
  engine: StoreConfig['engine'];
  stores: Stores;
  /** The outbox that carries access events between processes sharing the store (server/events). */
  accessEvents: AccessEventStore;
  /**
   * Leases on documents, for instances sharing this store (server/cluster); absent on SQLite, which one
   * process serves. `holder` names this process to the other instances.
   */
  documentLeases?: (holder: string) => DocumentLeaseStore;
  /** Resolves when the database answers now; rejects (or times out) when it does not, for /healthz. */
  checkHealth(): Promise<void>;
  /** Waits for every write handed to the stores, then closes the connections. */
  close(): Promise<void>;
}

/** How long /healthz waits for the database before it says 503: a load balancer must not hang on it. */
const HEALTH_TIMEOUT_MS = 2_000;

/**
 * Opens the configured engine. Throws NewerSchemaError for a database of a newer release (nothing written),
 * PostgresUnreachableError when PostgreSQL cannot be reached, DatabaseUrlError for a malformed URL.
 */
export async function openStores(config: StoreConfig, options: { docsOnThread?: boolean } = {}): Promise<OpenedStores> {
  if (config.engine === 'postgres') {
    // The data directory still holds the server secret and the embedded LiveKit's keys: owner-only, as ever.
    securePrivateDataDir(config.dataDir);
    return openPostgresStores(config.databaseUrl, options.docsOnThread ?? true);
  }
  return openSqliteStores(config.dataDir, options.docsOnThread ?? true);
}

/** `docsOnThread`: the server's documents are written on their own thread; a short CLI command needs none. */
function openSqliteStores(dataDir: string, docsOnThread: boolean): OpenedStores {
  const db = openDatabase(dataDir);
  // On the thread, an fsync does not stall the meetings' event loop; a lone commit at light load runs on
  // the loop, and only while the disk answers in a few milliseconds (see workerDocStore).
  const docs = docsOnThread ? openWorkerDocStore(dataDir) : undefined;
  const check = db.prepare('SELECT 1');
  const stores = createSqliteStores(db);
  return {
    engine: 'sqlite',
    stores: docs ? { ...stores, docs } : stores,
    accessEvents: createSqliteAccessEventStore(db),
    async checkHealth() {
      check.get();
    },
    async close() {
      await docs?.close();
      db.close();
    },
  };
}

async function openPostgresStores(databaseUrl: string, docsOnThread: boolean): Promise<OpenedStores> {
  const pool = await openPostgres(databaseUrl);
  // On the thread, building each group commit's statements and the round trips to PostgreSQL run beside the
  // meetings' event loop (see docCommitThread), except a quiet batch's (see routedDocCommits).
  const commitThread = docsOnThread ? openRoutedDocCommits(databaseUrl) : undefined;
  return {
    engine: 'postgres',
    stores: createPostgresStores(pool, commitThread),
    accessEvents: createPostgresAccessEventStore(pool),
    documentLeases: (holder) => createPostgresDocumentLeases(pool, holder),
    async checkHealth() {
      // A query that waits for a connection can hang for the pool's connect timeout: answer sooner.
      const timeout = AbortSignal.timeout(HEALTH_TIMEOUT_MS);
      const answered = pool.query('SELECT 1');
      await new Promise<void>((resolve, reject) => {
        timeout.addEventListener('abort', () => reject(new Error('PostgreSQL did not answer in time')));
        answered.then(() => resolve(), reject);
      });
    },
    async close() {
      await commitThread?.close();
      await pool.end();
    },
  };
}
