import { existsSync, lstatSync, readdirSync } from 'node:fs';
import { statfs } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { appliedSchemaVersions, DATABASE_FILE, KNOWN_SCHEMA_VERSIONS, unknownSchemaVersions } from '../store/database.ts';
import { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from '../store/privateDataDir.ts';
import { judgeClock, newestOf, STAMPS } from './doctorClock.ts';
import { failed, passed, type DoctorCheck } from './doctor.ts';

/** Opens the database without creating or migrating it; undefined when there is none yet. */
function withDatabase<T>(dataDir: string, read: (db: DatabaseSync) => T): T | undefined {
  const file = join(dataDir, DATABASE_FILE);
  if (!existsSync(file)) return undefined;
  const db = new DatabaseSync(file);
  try {
    db.exec('PRAGMA busy_timeout = 5000');
    return read(db);
  } finally {
    db.close();
  }
}

export function checkDatabase(dataDir: string): DoctorCheck {
  let applied: number[] | undefined;
  try {
    applied = withDatabase(dataDir, (db) => {
      db.prepare('SELECT 1').get();
      return appliedSchemaVersions(db);
    });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return failed('database', `The database in ${dataDir} does not open: ${reason}.`, 'Restore the data directory from a backup (polyphony restore) if the file is damaged, or fix its owner so this user can write it.');
  }
  if (applied === undefined) return passed('database', `No database in ${dataDir} yet: the server creates it on its first start.`);
  const newer = unknownSchemaVersions(applied);
  if (newer.length > 0) {
    return failed('database', `The database has schema versions ${newer.join(', ')}, which this release does not know: a newer release wrote it.`, 'Run the newer release that wrote this data directory, or restore a backup made by this release.');
  }
  const missing = KNOWN_SCHEMA_VERSIONS.filter((version) => !applied.includes(version));
  if (missing.length > 0) {
    return failed('database', `The database lacks schema versions ${missing.join(', ')} of this release.`, 'Start this release\'s server once: it applies the missing migrations at start.');
  }
  return passed('database', `The database opens and its schema is current (versions ${applied.join(', ')}).`);
}

export function checkDataDirModes(dataDir: string): DoctorCheck {
  if (!existsSync(dataDir)) return passed('data_dir_modes', `${dataDir} does not exist yet: the server creates it owner-only.`);
  const wrong = wronglyShared(dataDir);
  if (wrong.length === 0) return passed('data_dir_modes', `${dataDir} is 0700 and every file in it 0600.`);
  const shown = wrong.slice(0, 3).map(({ path, mode }) => `${path} is ${mode.toString(8).padStart(4, '0')}`).join('; ');
  return failed('data_dir_modes', `Others may read the data directory: ${shown}${wrong.length > 3 ? ` and ${wrong.length - 3} more` : ''}.`, `Run chmod -R go-rwx ${dataDir} (the server also corrects this at start).`);
}

function wronglyShared(dir: string): { path: string; mode: number }[] {
  const wrong: { path: string; mode: number }[] = [];
  const visit = (path: string): void => {
    const stat = lstatSync(path, { throwIfNoEntry: false });
    if (!stat || stat.isSymbolicLink()) return;
    const mode = stat.mode & 0o777;
    if (stat.isDirectory()) {
      if (mode !== PRIVATE_DIR_MODE) wrong.push({ path, mode });
      for (const name of readdirSync(path)) visit(join(path, name));
    } else if (stat.isFile() && mode !== PRIVATE_FILE_MODE) {
      wrong.push({ path, mode });
    }
  };
  visit(dir);
  return wrong;
}

export async function checkDiskSpace(dataDir: string, minFreeBytes: number): Promise<DoctorCheck> {
  let dir = dataDir;
  while (!existsSync(dir) && dirname(dir) !== dir) dir = dirname(dir);
  const stats = await statfs(dir);
  const free = stats.bavail * stats.bsize;
  const text = `${(free / 1024 ** 3).toFixed(1)} GiB free where ${dataDir} is (at least ${(minFreeBytes / 1024 ** 3).toFixed(1)} GiB wanted)`;
  if (free >= minFreeBytes) return passed('disk_space', `${text}.`);
  return failed('disk_space', `Only ${text}.`, 'Free space on that file system or move DATA_DIR to a larger one: notes are refused once the disk is full, and backups need room too.');
}

/** The clock against the newest time the SQLite database holds (see judgeClock). */
export function checkClock(dataDir: string, now: Date): DoctorCheck {
  let newest: string | undefined;
  try {
    newest = withDatabase(dataDir, (db) => newestStamp(db));
  } catch {
    return judgeClock(now, undefined);
  }
  return judgeClock(now, { newest });
}

function newestStamp(db: DatabaseSync): string | undefined {
  const tables = new Set(db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table'").all().map((row) => String(row['name'])));
  const values: unknown[] = [];
  for (const [table, column] of STAMPS) {
    if (!tables.has(table)) continue;
    const columns = db.prepare(`PRAGMA table_info(${table})`).all().map((row) => String(row['name']));
    if (columns.includes(column)) values.push(db.prepare(`SELECT MAX(${column}) AS newest FROM ${table}`).get()?.['newest']);
  }
  return newestOf(values);
}
