import { notesPlainText } from '../../../shared/doc/schema.ts';
import { openPostgres } from '../../../server/store/postgres/database.ts';
import { createPostgresDocStore } from '../../../server/store/postgres/docStore.ts';
import { loadStoredDoc } from './syncClient.ts';

/** The notes' lines of `docName` as PostgreSQL holds them, read by a new connection (never a server's memory). */
export async function storedNotes(databaseUrl: string, docName: string): Promise<Set<string>> {
  const pool = await openPostgres(databaseUrl, { max: 1 });
  try {
    const doc = await loadStoredDoc(createPostgresDocStore(pool), docName);
    const lines = new Set(notesPlainText(doc).split('\n'));
    doc.destroy();
    return lines;
  } finally {
    await pool.end();
  }
}
