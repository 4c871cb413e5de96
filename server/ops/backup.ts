import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, existsSync, readFileSync } from 'node:fs';
import { open, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { backup, DatabaseSync } from 'node:sqlite';
import { ApiError } from '../errors.ts';
import { SERVER_SECRET_FILE } from '../secret.ts';
import { appliedSchemaVersions, DATABASE_FILE } from '../store/database.ts';
import { PRIVATE_FILE_MODE } from '../store/privateDataDir.ts';
import { BACKUP_FORMAT, encodeHeader, type BackupHeader, type EntryName } from './backupFile.ts';

/** What `polyphony backup` reports. */
export interface BackupResult {
  out: string;
  bytes: number;
  createdAt: string;
  schemaVersions: number[];
  entries: { name: string; bytes: number }[];
}

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
  if (existsSync(out)) throw new ApiError('conflict', `${out} already exists: choose a new file name, a backup never overwrites one.`);
  const stem = join(dirname(out), `.${basename(out)}.${randomBytes(6).toString('hex')}`);
  const copy = `${stem}.sqlite`;
  const partial = `${stem}.partial`;
  try {
    const createdAt = new Date().toISOString();
    const schemaVersions = await snapshotDatabase(database, copy);
    const secret = join(dataDir, SERVER_SECRET_FILE);
    const sources: { name: EntryName; path: string }[] = [
      { name: DATABASE_FILE, path: copy },
      ...(existsSync(secret) ? [{ name: SERVER_SECRET_FILE, path: secret }] : []),
    ];
    const entries = await Promise.all(sources.map(async (s) => ({ name: s.name, bytes: (await stat(s.path)).size, sha256: await sha256Of([s.path]) })));
    const header: BackupHeader = {
      format: BACKUP_FORMAT,
      createdAt,
      release: releaseVersion(),
      schemaVersions,
      entries,
      payloadSha256: await sha256Of(sources.map((s) => s.path)),
    };
    const bytes = await writeBackupFile(partial, encodeHeader(header), sources.map((s) => s.path));
    await rename(partial, out);
    return { out, bytes, createdAt, schemaVersions, entries: entries.map(({ name, bytes: size }) => ({ name, bytes: size })) };
  } finally {
    await Promise.all([copy, `${copy}-wal`, `${copy}-shm`, partial].map((file) => rm(file, { force: true })));
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

async function writeBackupFile(path: string, header: Buffer, parts: readonly string[]): Promise<number> {
  const file = await open(path, 'wx', PRIVATE_FILE_MODE);
  try {
    let written = (await file.write(header)).bytesWritten;
    for (const part of parts) {
      for await (const chunk of createReadStream(part)) written += (await file.write(chunk as Buffer)).bytesWritten;
    }
    await file.sync();
    return written;
  } finally {
    await file.close();
  }
}

/** SHA-256 (hex) of the files' bytes one after the other. */
async function sha256Of(paths: readonly string[]): Promise<string> {
  const hash = createHash('sha256');
  for (const path of paths) for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

function releaseVersion(): string {
  const pkg: unknown = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
  return typeof pkg === 'object' && pkg !== null && 'version' in pkg && typeof pkg.version === 'string' ? pkg.version : 'unknown';
}
