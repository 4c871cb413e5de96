import { createHash } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { ApiError } from '../errors.ts';
import { unknownSchemaVersions } from '../store/database.ts';
import { KNOWN_POSTGRES_SCHEMA_VERSIONS } from '../store/postgres/database.ts';
import { payloadBytes, type BackupEngine } from './backupFile.ts';
import { locateEntries, rangeOf, readHeader, writeEntries, type VerifiedBackup } from './backupEntries.ts';
import { restoreIntoPostgres } from './postgresRestore.ts';

/** What `polyphony restore` reports. */
export interface RestoreResult {
  dataDir: string;
  engine: BackupEngine;
  /** PostgreSQL: the database restored into, without its password. */
  database?: string;
  createdAt: string;
  release: string;
  schemaVersions: number[];
  entries: { name: string; bytes: number }[];
}

/** Where a restore goes: DATA_DIR, and the PostgreSQL database when DATABASE_URL is set. */
export interface RestoreTarget {
  dataDir: string;
  databaseUrl?: string | undefined;
  env?: NodeJS.ProcessEnv;
}

/**
 * Restores a backup file into an empty (or not yet existing) data directory, and, for a PostgreSQL backup,
 * into the empty database of DATABASE_URL. Everything is checked before anything is written: the targets are
 * empty, the file is a backup of a format and schema this release knows and of the engine the target runs,
 * it is exactly as long as its header says and every checksum matches. If writing fails half way, what was
 * written is removed again (PostgreSQL's restore is one transaction). The server migrates an older backup's
 * schema when it starts on it.
 */
export async function restoreBackup(file: string, target: RestoreTarget): Promise<RestoreResult> {
  const { dataDir, databaseUrl } = target;
  const createsDir = refuseNonEmpty(dataDir);
  const backup = await verifiedBackup(file);
  const { header } = backup;
  refuseOtherEngine(header.engine, databaseUrl === undefined ? 'sqlite' : 'postgres');
  const restored = { dataDir, engine: header.engine, createdAt: header.createdAt, release: header.release, schemaVersions: header.schemaVersions, entries: header.entries.map(({ name, bytes }) => ({ name, bytes })) };
  if (databaseUrl === undefined) {
    await writeEntries(backup, locateEntries(backup), dataDir, createsDir);
    return restored;
  }
  const database = await restoreIntoPostgres(backup, { dataDir, createsDir, databaseUrl, env: target.env ?? process.env });
  return { ...restored, database };
}

/** The header of a whole, undamaged backup of a format and schema this release knows; throws otherwise. */
async function verifiedBackup(file: string): Promise<VerifiedBackup> {
  const { header, payloadOffset } = await readHeader(file);
  const known = header.engine === 'postgres' ? KNOWN_POSTGRES_SCHEMA_VERSIONS : undefined;
  const newer = unknownSchemaVersions(header.schemaVersions, known);
  if (newer.length > 0) {
    throw new ApiError('bad_request', `This backup was made by a newer Polyphony release (schema versions ${newer.join(', ')} are unknown to this one): restore it with that release.`);
  }
  const size = (await stat(file)).size;
  const expected = payloadOffset + payloadBytes(header);
  if (size !== expected) {
    throw new ApiError('bad_request', size < expected ? `This backup is cut short: it has ${size} bytes of the ${expected} its header announces.` : `This backup is damaged: it has ${size - expected} bytes more than its header announces.`);
  }
  const backup = { file, header, payloadOffset };
  await verifyChecksums(backup);
  return backup;
}

/** One sentence saying how to go from one engine to the other, rather than a half-done conversion. */
function refuseOtherEngine(backup: BackupEngine, target: BackupEngine): void {
  if (backup === target) return;
  if (backup === 'sqlite') {
    throw new ApiError('conflict', 'This backup holds a SQLite data directory but DATABASE_URL names PostgreSQL: restore it without DATABASE_URL into a new DATA_DIR, then move that into PostgreSQL with `polyphony db copy --to postgres://…`; nothing was written.');
  }
  throw new ApiError('conflict', 'This backup holds a PostgreSQL database but DATABASE_URL is not set: set DATABASE_URL to a new, empty PostgreSQL database and restore again (a PostgreSQL backup cannot become a SQLite data directory); nothing was written.');
}

/** True when the directory does not exist yet (the restore creates it). */
function refuseNonEmpty(dataDir: string): boolean {
  if (!existsSync(dataDir)) return true;
  let names: string[];
  try {
    names = readdirSync(dataDir);
  } catch {
    throw new ApiError('bad_request', `${dataDir} is not a directory that can be read.`);
  }
  if (names.length > 0) throw new ApiError('conflict', `${dataDir} is not empty: a restore goes only into an empty data directory (point DATA_DIR at a new one).`);
  return false;
}

async function verifyChecksums({ file, header, payloadOffset }: VerifiedBackup): Promise<void> {
  const whole = createHash('sha256');
  let offset = payloadOffset;
  for (const entry of header.entries) {
    const part = createHash('sha256');
    for await (const chunk of rangeOf(file, offset, entry.bytes)) {
      part.update(chunk);
      whole.update(chunk);
    }
    if (part.digest('hex') !== entry.sha256) throw new ApiError('bad_request', `This backup is damaged: ${entry.name} does not match its checksum.`);
    offset += entry.bytes;
  }
  if (whole.digest('hex') !== header.payloadSha256) throw new ApiError('bad_request', 'This backup is damaged: its contents do not match their checksum.');
}
