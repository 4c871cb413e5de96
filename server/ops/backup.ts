import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { backup, DatabaseSync } from 'node:sqlite';
import { ApiError } from '../errors.ts';
import { appliedSchemaVersions, DATABASE_FILE } from '../store/database.ts';
import { SQLITE_ENTRY } from './backupFile.ts';
import { assembleBackup, refuseExisting, scratchStem, secretSource, type BackupResult } from './backupWriter.ts';

export type { BackupResult } from './backupWriter.ts';

// Every page in one step: the copy is made inside one read transaction, so it is the database as it was at
// one moment. In WAL mode the server goes on writing meanwhile; a smaller step would restart whenever it did.
const ALL_PAGES = 2 ** 31 - 1;

/**
 * Writes a consistent copy of DATA_DIR's database (SQLite's online backup, safe while the server runs and
 * writes) and its server secret into one owner-only file at `out`. The LiveKit config is left out: it is
 * rewritten with fresh keys at every start. `out` must not exist; it appears only once complete.
 */
export async function createBackup(dataDir: string, out: string): Promise<BackupResult> {
  const database = join(dataDir, DATABASE_FILE);
  if (!existsSync(database)) throw new ApiError('not_found', `There is no database in ${dataDir} to back up (is DATA_DIR right?).`);
  refuseExisting(out);
  const copy = `${scratchStem(out)}.sqlite`;
  try {
    const createdAt = new Date().toISOString();
    const schemaVersions = await snapshotDatabase(database, copy);
    return await assembleBackup(out, 'sqlite', { createdAt, schemaVersions }, [{ name: SQLITE_ENTRY, path: copy }, ...secretSource(dataDir)]);
  } finally {
    await Promise.all([copy, `${copy}-wal`, `${copy}-shm`].map((file) => rm(file, { force: true })));
  }
}

/** The online backup into `copy`, checked, and the schema versions it holds (also what `db copy` reads). */
export async function snapshotDatabase(database: string, copy: string): Promise<number[]> {
  const source = new DatabaseSync(database);
  try {
    source.exec('PRAGMA busy_timeout = 5000');
    await backup(source, copy, { rate: ALL_PAGES });
  } finally {
    source.close();
  }
  const copied = new DatabaseSync(copy);
  try {
    // One file, no write-ahead log beside it: what is restored is exactly what the checksum covers.
    copied.exec('PRAGMA journal_mode = DELETE');
    const check = copied.prepare('PRAGMA quick_check').get();
    if (check?.['quick_check'] !== 'ok') throw new ApiError('internal', 'The database copy failed its integrity check; nothing was written.');
    return appliedSchemaVersions(copied);
  } finally {
    copied.close();
  }
}
