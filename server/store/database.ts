import { DatabaseSync } from 'node:sqlite';
import { join } from 'node:path';
import { MIGRATIONS } from './migrations.ts';
import { securePrivateDataDir } from './privateDataDir.ts';

/** File name of the SQLite database inside DATA_DIR. */
export const DATABASE_FILE = 'polyphony.sqlite';

/**
 * Opens (creating if needed) the SQLite database in `dataDir` and brings its schema up to date.
 * WAL lets readers (the ops CLI) work while the server writes; synchronous=FULL makes every committed
 * update survive a power cut, not only a process crash, because an acknowledged note must never be lost.
 * DATA_DIR and its files are made owner-only first (health data; see privateDataDir.ts).
 */
export function openDatabase(dataDir: string): DatabaseSync {
  securePrivateDataDir(dataDir, DATABASE_FILE);
  const db = new DatabaseSync(join(dataDir, DATABASE_FILE));
  db.exec('PRAGMA busy_timeout = 5000');
  // Before anything that writes, even switching the journal mode: a newer release's database stays as it was.
  const newer = unknownSchemaVersions(appliedSchemaVersions(db));
  if (newer.length > 0) {
    db.close();
    throw new NewerSchemaError(newer);
  }
  db.exec('PRAGMA journal_mode = WAL');
  db.exec('PRAGMA synchronous = FULL');
  db.exec('PRAGMA foreign_keys = ON');
  // Deleted content is overwritten with zeros, so an erased network leaves nothing readable in free pages.
  db.exec('PRAGMA secure_delete = ON');
  try {
    migrate(db);
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}

/** The schema versions this release knows; a database with any other was written by a newer release. */
export const KNOWN_SCHEMA_VERSIONS: readonly number[] = MIGRATIONS.map((migration) => migration.version);

/**
 * Thrown before anything is written when the database holds migrations this release does not know: it was
 * made or upgraded by a newer release, and running older code on it could corrupt it.
 */
export class NewerSchemaError extends Error {
  readonly unknownVersions: readonly number[];

  constructor(unknownVersions: readonly number[], holder = 'data directory') {
    super(
      `This ${holder} was written by a newer Polyphony release (schema versions ${unknownVersions.join(', ')} are unknown to this one). ` +
        'Run that newer release again, or restore a backup made by this release; a downgrade is refused so that nothing is corrupted.',
    );
    this.name = 'NewerSchemaError';
    this.unknownVersions = unknownVersions;
  }
}

/** The migration versions recorded in `db` (empty for a new database). */
export function appliedSchemaVersions(db: DatabaseSync): number[] {
  const table = db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'schema_migrations'").get();
  if (!table) return [];
  return db.prepare('SELECT version FROM schema_migrations ORDER BY version').all().map((row) => Number(row['version']));
}

/** The recorded versions this release does not know (a newer release's), in order. */
export function unknownSchemaVersions(applied: readonly number[], knownVersions: readonly number[] = KNOWN_SCHEMA_VERSIONS): number[] {
  const known = new Set(knownVersions);
  return applied.filter((version) => !known.has(version));
}

function migrate(db: DatabaseSync): void {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)');
  // Every migration not yet applied, not only those above the highest: branches developed side by side
  // may land their numbers out of order.
  const applied = new Set(appliedSchemaVersions(db));
  for (const migration of MIGRATIONS) {
    if (applied.has(migration.version)) continue;
    db.exec('BEGIN IMMEDIATE');
    try {
      db.exec(migration.sql);
      db.prepare('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)').run(
        migration.version,
        new Date().toISOString(),
      );
      db.exec('COMMIT');
    } catch (error) {
      db.exec('ROLLBACK');
      throw error;
    }
  }
}
