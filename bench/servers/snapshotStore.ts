import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';

/**
 * The storage of @hocuspocus/extension-sqlite 4.7.0 (same table, same upsert of the whole document state),
 * ported from better-sqlite3 to node:sqlite: better-sqlite3 is a native addon whose prebuilt binaries cannot
 * be fetched here and which cannot be compiled for Node 24 on this machine. Durability is raised to match
 * Polyphony's store: WAL and synchronous=FULL (the extension leaves SQLite's defaults).
 */
export interface SnapshotStore {
  fetch(docName: string): Uint8Array | null;
  upsert(docName: string, state: Uint8Array): void;
  close(): void;
}

export const SNAPSHOT_FILE = 'hocuspocus.sqlite';

export function openSnapshotStore(dataDir: string): SnapshotStore {
  mkdirSync(dataDir, { recursive: true });
  const db = new DatabaseSync(join(dataDir, SNAPSHOT_FILE));
  db.exec('PRAGMA journal_mode = WAL');
  db.exec('PRAGMA synchronous = FULL');
  db.exec(`CREATE TABLE IF NOT EXISTS "documents" (
    "name" varchar(255) NOT NULL,
    "data" blob NOT NULL,
    UNIQUE(name)
  )`);
  const select = db.prepare('SELECT data FROM "documents" WHERE name = ? ORDER BY rowid DESC');
  const upsert = db.prepare('INSERT INTO "documents" ("name", "data") VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET data = excluded.data');

  return {
    fetch(docName) {
      const row = select.get(docName);
      return row ? new Uint8Array(row['data'] as Uint8Array) : null;
    },
    upsert: (docName, state) => void upsert.run(docName, state),
    close: () => db.close(),
  };
}
