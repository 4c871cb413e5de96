import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';

/**
 * The persistence behind the @y/websocket-server bench child: an append-only log of updates per document
 * in SQLite, with the same durability settings as Polyphony's store (WAL, synchronous=FULL, one committed
 * transaction per update). Synchronous (node:sqlite), so a write is on disk before the call returns.
 */
export interface UpdateLogStore {
  load(docName: string): Uint8Array[];
  append(docName: string, update: Uint8Array): void;
  appendMany(docName: string, updates: readonly Uint8Array[]): void;
  /** Replaces the whole log of `docName` by `snapshot`, in one transaction. */
  replaceWithSnapshot(docName: string, snapshot: Uint8Array): void;
  close(): void;
}

export const UPDATE_LOG_FILE = 'y-websocket-server.sqlite';

export function openUpdateLogStore(dataDir: string): UpdateLogStore {
  mkdirSync(dataDir, { recursive: true });
  const db = new DatabaseSync(join(dataDir, UPDATE_LOG_FILE));
  db.exec('PRAGMA journal_mode = WAL');
  db.exec('PRAGMA synchronous = FULL');
  db.exec(`CREATE TABLE IF NOT EXISTS updates (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    doc_name TEXT NOT NULL,
    data BLOB NOT NULL
  )`);
  db.exec('CREATE INDEX IF NOT EXISTS updates_by_doc ON updates (doc_name, id)');
  const selectAll = db.prepare('SELECT data FROM updates WHERE doc_name = ? ORDER BY id');
  const insert = db.prepare('INSERT INTO updates (doc_name, data) VALUES (?, ?)');
  const deleteAll = db.prepare('DELETE FROM updates WHERE doc_name = ?');

  const inTransaction = (work: () => void): void => {
    db.exec('BEGIN IMMEDIATE');
    try {
      work();
      db.exec('COMMIT');
    } catch (error) {
      db.exec('ROLLBACK');
      throw error;
    }
  };

  return {
    load: (docName) => selectAll.all(docName).map((row) => new Uint8Array(row['data'] as Uint8Array)),
    append: (docName, update) => void insert.run(docName, update),
    appendMany: (docName, updates) =>
      inTransaction(() => {
        for (const update of updates) insert.run(docName, update);
      }),
    replaceWithSnapshot: (docName, snapshot) =>
      inTransaction(() => {
        deleteAll.run(docName);
        insert.run(docName, snapshot);
      }),
    close: () => db.close(),
  };
}
