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
  db.exec('PRAGMA journal_mode = WAL');
  db.exec('PRAGMA synchronous = FULL');
  db.exec('PRAGMA foreign_keys = ON');
  db.exec('PRAGMA busy_timeout = 5000');
  // Deleted content is overwritten with zeros, so an erased network leaves nothing readable in free pages.
  db.exec('PRAGMA secure_delete = ON');
  migrate(db);
  return db;
}

function migrate(db: DatabaseSync): void {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)');
  // Every migration not yet applied, not only those above the highest: branches developed side by side
  // may land their numbers out of order.
  const applied = new Set(db.prepare('SELECT version FROM schema_migrations').all().map((row) => Number(row['version'])));
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
