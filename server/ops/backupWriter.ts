import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, existsSync, readFileSync } from 'node:fs';
import { link, open, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { ApiError } from '../errors.ts';
import { SERVER_SECRET_FILE } from '../secret.ts';
import { PRIVATE_FILE_MODE } from '../store/privateDataDir.ts';
import { BACKUP_FORMAT, encodeHeader, type BackupEngine, type BackupHeader, type EntryName } from './backupFile.ts';

/** What `polyphony backup` reports. */
export interface BackupResult {
  out: string;
  engine: BackupEngine;
  /** PostgreSQL: the database backed up, without its password. */
  database?: string;
  bytes: number;
  createdAt: string;
  schemaVersions: number[];
  entries: { name: string; bytes: number }[];
}

/** A file to be put into the backup under `name`. */
export interface BackupSource {
  name: EntryName;
  path: string;
}

/** What the engine's copy found out about the database it copied. */
export interface DatabaseCopyInfo {
  createdAt: string;
  schemaVersions: number[];
  postgres?: BackupHeader['postgres'];
}

/** Refuses an `out` that exists: a backup never overwrites a file. */
export function refuseExisting(out: string): void {
  if (existsSync(out)) throw new ApiError('conflict', `${out} already exists: choose a new file name, a backup never overwrites one.`);
}

/** A hidden, unguessable name beside `out` for the files a backup is made from (removed afterwards). */
export function scratchStem(out: string): string {
  return join(dirname(out), `.${basename(out)}.${randomBytes(6).toString('hex')}`);
}

/** DATA_DIR's server secret, if it has one: it signs invite links and tickets, which a restore keeps valid. */
export function secretSource(dataDir: string): BackupSource[] {
  const secret = join(dataDir, SERVER_SECRET_FILE);
  return existsSync(secret) ? [{ name: SERVER_SECRET_FILE, path: secret }] : [];
}

/**
 * Writes the backup file: header (sizes and SHA-256 of every entry and of the whole payload), then the
 * entries. It is written owner-only under a temporary name beside `out`, synced, and only then linked to
 * `out`, so `out` appears only once complete; a link, unlike a rename, fails rather than replace a file that
 * appeared at `out` meanwhile.
 */
export async function assembleBackup(out: string, engine: BackupEngine, info: DatabaseCopyInfo, sources: readonly BackupSource[]): Promise<BackupResult> {
  const partial = `${scratchStem(out)}.partial`;
  try {
    const entries = await Promise.all(sources.map(async (s) => ({ name: s.name, bytes: (await stat(s.path)).size, sha256: await sha256Of([s.path]) })));
    const header: BackupHeader = {
      format: BACKUP_FORMAT,
      engine,
      ...(info.postgres ? { postgres: info.postgres } : {}),
      createdAt: info.createdAt,
      release: releaseVersion(),
      schemaVersions: info.schemaVersions,
      entries,
      payloadSha256: await sha256Of(sources.map((s) => s.path)),
    };
    const bytes = await writeBackupFile(partial, encodeHeader(header), sources.map((s) => s.path));
    await link(partial, out).catch((error: unknown) => {
      if (error instanceof Error && 'code' in error && error.code === 'EEXIST') refuseExisting(out);
      throw error;
    });
    return { out, engine, bytes, createdAt: info.createdAt, schemaVersions: info.schemaVersions, entries: entries.map(({ name, bytes: size }) => ({ name, bytes: size })) };
  } finally {
    await rm(partial, { force: true });
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
