import { DatabaseSync } from 'node:sqlite';
import { join } from 'node:path';
import pg from 'pg';
import * as Y from 'yjs';
import { DATABASE_FILE } from '../../server/store/database.ts';
import type { ServerKind } from '../servers/childProcess.ts';
import { SNAPSHOT_FILE } from '../servers/snapshotStore.ts';
import { UPDATE_LOG_FILE } from '../servers/updateLogStore.ts';
import type { BenchStorage } from './benchServer.ts';

/**
 * The text of `docName` as the server has it stored right now, read through a connection of its own (a
 * second, read-only SQLite connection, which WAL lets read while the server writes; or a new PostgreSQL
 * connection, which sees only what is committed). Used to check that what clients received was also
 * stored: the durability each server is configured for, observed rather than assumed.
 */
export async function readStoredText(kind: ServerKind, storage: BenchStorage, docName: string): Promise<string> {
  const rows = await readStoredRows(kind, storage, docName);
  const doc = new Y.Doc();
  try {
    doc.transact(() => {
      for (const row of rows) Y.applyUpdate(doc, row);
    });
    return doc.getText('t').toJSON();
  } finally {
    doc.destroy();
  }
}

async function readStoredRows(kind: ServerKind, storage: BenchStorage, docName: string): Promise<Uint8Array[]> {
  switch (kind) {
    case 'polyphony':
      return readSqlite(join(storage.dataDir, DATABASE_FILE), 'SELECT data FROM doc_updates WHERE doc_name = ? ORDER BY seq', docName);
    case 'y-websocket-server':
      return readSqlite(join(storage.dataDir, UPDATE_LOG_FILE), 'SELECT data FROM updates WHERE doc_name = ? ORDER BY id', docName);
    case 'hocuspocus':
      return readSqlite(join(storage.dataDir, SNAPSHOT_FILE), 'SELECT data FROM "documents" WHERE name = ?', docName);
    case 'polyphony-postgres':
      return readPostgres(storage, 'SELECT data FROM doc_updates WHERE doc_name = $1 ORDER BY seq', docName);
    case 'hocuspocus-postgres':
      return readPostgres(storage, 'SELECT data FROM "documents" WHERE name = $1', docName);
  }
}

function readSqlite(file: string, query: string, docName: string): Uint8Array[] {
  const db = new DatabaseSync(file, { readOnly: true });
  try {
    db.exec('PRAGMA busy_timeout = 5000');
    return db.prepare(query).all(docName).map((row) => new Uint8Array(row['data'] as Uint8Array));
  } finally {
    db.close();
  }
}

async function readPostgres(storage: BenchStorage, query: string, docName: string): Promise<Uint8Array[]> {
  if (storage.databaseUrl === undefined) throw new Error('a PostgreSQL kind without a database');
  const client = new pg.Client({ connectionString: storage.databaseUrl });
  await client.connect();
  try {
    const result = await client.query<{ data: Buffer }>(query, [docName]);
    return result.rows.map((row) => new Uint8Array(row.data.buffer, row.data.byteOffset, row.data.byteLength));
  } finally {
    await client.end();
  }
}
