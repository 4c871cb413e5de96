import { openDatabase } from '../../server/store/database.ts';
import { createSqliteDocStore, type DocStore } from '../../server/store/docStore.ts';
import { openPostgres } from '../../server/store/postgres/database.ts';
import { createPostgresDocStore } from '../../server/store/postgres/docStore.ts';
import { openWorkerDocStore } from '../../server/store/workerDocStore.ts';
import type { BenchStorage } from './benchServer.ts';

/**
 * Polyphony's document store on a bench storage, outside the server process (to seed documents for the cold
 * load): the writer-thread store on SQLite, as the server opens it; on PostgreSQL the store the server opens
 * for DATABASE_URL (migrated on first open).
 */
export interface OpenedDocStore {
  store: DocStore;
  close(): Promise<void>;
}

/** `thread`: the SQLite store on its writer thread, as the sync server has it (else the plain one, for bulk seeding). */
export async function openPolyphonyDocStore(storage: BenchStorage, options: { thread: boolean }): Promise<OpenedDocStore> {
  if (storage.databaseUrl !== undefined) {
    const pool = await openPostgres(storage.databaseUrl, { max: 4 });
    return { store: createPostgresDocStore(pool), close: () => pool.end() };
  }
  const db = openDatabase(storage.dataDir);
  if (!options.thread) return { store: createSqliteDocStore(db), close: async () => db.close() };
  db.close(); // the schema, before the writer thread opens the file
  const store = openWorkerDocStore(storage.dataDir);
  return { store, close: () => store.close() };
}

/** Gives `to` exactly the stored rows of `from` (same bytes, same sequence numbers; on PostgreSQL its head row too). */
export async function copyStoredDocument(storage: BenchStorage, from: string, to: string): Promise<void> {
  if (storage.databaseUrl !== undefined) {
    const pool = await openPostgres(storage.databaseUrl, { max: 1 });
    try {
      await pool.query('INSERT INTO doc_updates (doc_name, seq, data) SELECT $2, seq, data FROM doc_updates WHERE doc_name = $1', [from, to]);
      await pool.query('INSERT INTO doc_heads (doc_name, last_seq, epoch) SELECT $2, last_seq, epoch FROM doc_heads WHERE doc_name = $1', [from, to]);
    } finally {
      await pool.end();
    }
    return;
  }
  const db = openDatabase(storage.dataDir);
  try {
    db.prepare('INSERT INTO doc_updates (doc_name, seq, data) SELECT ?, seq, data FROM doc_updates WHERE doc_name = ?').run(to, from);
  } finally {
    db.close();
  }
}
