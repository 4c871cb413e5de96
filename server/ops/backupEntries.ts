import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, rename, rm, rmdir } from 'node:fs/promises';
import { join } from 'node:path';
import { ApiError } from '../errors.ts';
import { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from '../store/privateDataDir.ts';
import { decodeHeader, MAX_HEADER_BYTES, type BackupHeader } from './backupFile.ts';

/** A backup file whose header was read (and, once verified, whose length and checksums matched it). */
export interface VerifiedBackup {
  file: string;
  header: BackupHeader;
  payloadOffset: number;
}

/** One entry of a backup and where its bytes start in the file. */
export type LocatedEntry = BackupHeader['entries'][number] & { offset: number };

export function locateEntries({ header, payloadOffset }: VerifiedBackup): LocatedEntry[] {
  let offset = payloadOffset;
  return header.entries.map((entry) => {
    const located = { ...entry, offset };
    offset += entry.bytes;
    return located;
  });
}

export async function readHeader(file: string): Promise<ReturnType<typeof decodeHeader>> {
  let handle;
  try {
    handle = await open(file, 'r');
  } catch {
    throw new ApiError('not_found', `Cannot read the backup file ${file}.`);
  }
  try {
    const start = Buffer.alloc(MAX_HEADER_BYTES);
    const { bytesRead } = await handle.read(start, 0, start.length, 0);
    return decodeHeader(start.subarray(0, bytesRead));
  } finally {
    await handle.close();
  }
}

/**
 * Copies one entry's bytes to `path`, owner-only, synced; `path` must not exist. Checked against the entry's
 * SHA-256 again as it is copied: the file was verified before, but it may have changed since.
 */
export async function extractEntry(file: string, entry: LocatedEntry, path: string): Promise<void> {
  const out = await open(path, 'wx', PRIVATE_FILE_MODE);
  const hash = createHash('sha256');
  try {
    for await (const chunk of rangeOf(file, entry.offset, entry.bytes)) {
      hash.update(chunk);
      await out.write(chunk);
    }
    await out.sync();
  } finally {
    await out.close();
  }
  if (hash.digest('hex') !== entry.sha256) throw new ApiError('bad_request', `The backup file changed while it was restored: ${entry.name} no longer matches its checksum.`);
}

/**
 * Writes `entries` into the data directory (made owner-only if it does not exist), each under a temporary
 * name first. If anything fails, what was written is removed again, and the directory too when it was made.
 * Returns an undo that does the same, for a restore whose next step fails.
 */
export async function writeEntries(backup: VerifiedBackup, entries: readonly LocatedEntry[], dataDir: string, createsDir: boolean): Promise<() => Promise<void>> {
  const written: string[] = [];
  const undo = async (): Promise<void> => {
    await Promise.all(written.map((path) => rm(path, { force: true })));
    if (createsDir) await rmdir(dataDir).catch(() => undefined);
  };
  try {
    await mkdir(dataDir, { recursive: true, mode: PRIVATE_DIR_MODE });
    for (const entry of entries) {
      const target = join(dataDir, entry.name);
      const partial = `${target}.restoring`;
      written.push(partial, target);
      await extractEntry(backup.file, entry, partial);
      await rename(partial, target);
    }
    return undo;
  } catch (error) {
    await undo();
    throw error;
  }
}

export async function* rangeOf(file: string, start: number, bytes: number): AsyncGenerator<Buffer> {
  if (bytes === 0) return;
  for await (const chunk of createReadStream(file, { start, end: start + bytes - 1 })) yield chunk as Buffer;
}
