import { DatabaseSync } from 'node:sqlite';
import { join } from 'node:path';
import * as Y from 'yjs';
import { DATABASE_FILE } from '../../server/store/database.ts';
import type { ServerKind } from '../servers/childProcess.ts';
import { SNAPSHOT_FILE } from '../servers/snapshotStore.ts';
import { UPDATE_LOG_FILE } from '../servers/updateLogStore.ts';

/**
 * The text of `docName` as the server has it on disk right now, read through a second, read-only SQLite
 * connection (WAL lets it read while the server writes). Used to check that what clients received was
 * also stored: the durability each server is configured for, observed rather than assumed.
 */
export function readStoredText(kind: ServerKind, dataDir: string, docName: string): string {
  const file = { polyphony: DATABASE_FILE, 'y-websocket-server': UPDATE_LOG_FILE, hocuspocus: SNAPSHOT_FILE }[kind];
  const query = {
    polyphony: 'SELECT data FROM doc_updates WHERE doc_name = ? ORDER BY seq',
    'y-websocket-server': 'SELECT data FROM updates WHERE doc_name = ? ORDER BY id',
    hocuspocus: 'SELECT data FROM "documents" WHERE name = ?',
  }[kind];
  const db = new DatabaseSync(join(dataDir, file), { readOnly: true });
  const doc = new Y.Doc();
  try {
    db.exec('PRAGMA busy_timeout = 5000');
    const rows = db.prepare(query).all(docName);
    doc.transact(() => {
      for (const row of rows) Y.applyUpdate(doc, new Uint8Array(row['data'] as Uint8Array));
    });
    return doc.getText('t').toJSON();
  } finally {
    doc.destroy();
    db.close();
  }
}
