import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { DatabaseSync } from 'node:sqlite';
import { ApiError } from '../../errors.ts';
import { snapshotDatabase } from '../../ops/backup.ts';
import { DATABASE_FILE, openDatabase, unknownSchemaVersions } from '../database.ts';
import { PRIVATE_DIR_MODE } from '../privateDataDir.ts';

/** DATA_DIR's database as it was at one moment, ready to be read; `dispose` removes the copy. */
export interface SqliteSnapshot {
  db: DatabaseSync;
  /** The schema versions of the data directory itself (before the copy was brought up to this release). */
  schemaVersions: number[];
  dispose(): Promise<void>;
}

/**
 * Reads DATA_DIR's database through a copy made by SQLite's online backup (as `polyphony backup` does: one
 * read transaction, safe while a server writes). Chosen over reading the live file in one long read
 * transaction because the copy, the row-by-row comparison and the document comparison after it must all
 * see the same state, and that can take minutes: a read transaction held that long on the live file would
 * stop the server's WAL checkpoints, and its write-ahead log would grow all the while. The copy also lets an
 * older data directory be brought up to this release's schema (the target's) without touching the original.
 *
 * The copy is made in a private folder inside DATA_DIR (owner-only, like the database itself: it is health
 * data) and removed afterwards, also when anything fails. A data directory of a newer release is refused
 * before anything is read from it.
 */
export async function snapshotDataDir(dataDir: string): Promise<SqliteSnapshot> {
  const database = join(dataDir, DATABASE_FILE);
  if (!existsSync(database)) throw new ApiError('not_found', `There is no database in ${dataDir} to copy (is DATA_DIR right?).`);
  const folder = join(dataDir, `.db-copy-${randomBytes(6).toString('hex')}`);
  const dispose = () => rm(folder, { recursive: true, force: true });
  try {
    await mkdir(folder, { mode: PRIVATE_DIR_MODE });
    const schemaVersions = await snapshotDatabase(database, join(folder, DATABASE_FILE));
    const newer = unknownSchemaVersions(schemaVersions);
    if (newer.length > 0) {
      throw new ApiError('conflict', `This data directory was written by a newer Polyphony release (schema versions ${newer.join(', ')} are unknown to this one); nothing was copied. Copy it with that release.`);
    }
    const db = openDatabase(folder);
    return {
      db,
      schemaVersions,
      async dispose() {
        db.close();
        await dispose();
      },
    };
  } catch (error) {
    await dispose();
    throw error;
  }
}
