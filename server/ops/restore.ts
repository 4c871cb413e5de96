import { createHash } from 'node:crypto';
import { createReadStream, existsSync, readdirSync } from 'node:fs';
import { mkdir, open, rename, rm, rmdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { ApiError } from '../errors.ts';
import { unknownSchemaVersions } from '../store/database.ts';
import { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from '../store/privateDataDir.ts';
import { decodeHeader, MAX_HEADER_BYTES, payloadBytes, type BackupHeader } from './backupFile.ts';

/** What `polyphony restore` reports. */
export interface RestoreResult {
  dataDir: string;
  createdAt: string;
  release: string;
  schemaVersions: number[];
  entries: { name: string; bytes: number }[];
}

/**
 * Restores a backup file into an empty (or not yet existing) data directory. Everything is checked before
 * anything is written: the target is empty, the file is a backup of a format and schema this release
 * knows, it is exactly as long as its header says and every checksum matches. If writing fails half way,
 * what was written is removed again. The server migrates an older backup's schema when it starts on it.
 */
export async function restoreBackup(file: string, dataDir: string): Promise<RestoreResult> {
  const createsDir = refuseNonEmpty(dataDir);
  const { header, payloadOffset } = await readHeader(file);
  const newer = unknownSchemaVersions(header.schemaVersions);
  if (newer.length > 0) {
    throw new ApiError('bad_request', `This backup was made by a newer Polyphony release (schema versions ${newer.join(', ')} are unknown to this one): restore it with that release.`);
  }
  const size = (await stat(file)).size;
  const expected = payloadOffset + payloadBytes(header);
  if (size !== expected) {
    throw new ApiError('bad_request', size < expected ? `This backup is cut short: it has ${size} bytes of the ${expected} its header announces.` : `This backup is damaged: it has ${size - expected} bytes more than its header announces.`);
  }
  await verifyChecksums(file, header, payloadOffset);
  await writeEntries(file, header, payloadOffset, dataDir, createsDir);
  return {
    dataDir,
    createdAt: header.createdAt,
    release: header.release,
    schemaVersions: header.schemaVersions,
    entries: header.entries.map(({ name, bytes }) => ({ name, bytes })),
  };
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

async function readHeader(file: string): Promise<ReturnType<typeof decodeHeader>> {
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

async function verifyChecksums(file: string, header: BackupHeader, payloadOffset: number): Promise<void> {
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

async function writeEntries(file: string, header: BackupHeader, payloadOffset: number, dataDir: string, createsDir: boolean): Promise<void> {
  const written: string[] = [];
  try {
    await mkdir(dataDir, { recursive: true, mode: PRIVATE_DIR_MODE });
    let offset = payloadOffset;
    for (const entry of header.entries) {
      const target = join(dataDir, entry.name);
      const partial = `${target}.restoring`;
      written.push(partial, target);
      const out = await open(partial, 'wx', PRIVATE_FILE_MODE);
      try {
        for await (const chunk of rangeOf(file, offset, entry.bytes)) await out.write(chunk);
        await out.sync();
      } finally {
        await out.close();
      }
      await rename(partial, target);
      offset += entry.bytes;
    }
  } catch (error) {
    await Promise.all(written.map((path) => rm(path, { force: true })));
    if (createsDir) await rmdir(dataDir).catch(() => undefined);
    throw error;
  }
}

async function* rangeOf(file: string, start: number, bytes: number): AsyncGenerator<Buffer> {
  if (bytes === 0) return;
  for await (const chunk of createReadStream(file, { start, end: start + bytes - 1 })) yield chunk as Buffer;
}
