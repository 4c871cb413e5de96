import { z } from 'zod';
import { ApiError } from '../errors.ts';

/**
 * A backup file is one file, readable with `head -2`:
 *
 *   POLYPHONY-BACKUP <format>\n
 *   <header JSON on one line>\n
 *   <payload: the entries' bytes, one after the other, in header order>
 *
 * The header states what the file holds (the engine, each entry's name, size and SHA-256, the schema versions
 * of the database in it, when and by which release it was made) and a SHA-256 of the whole payload, so a
 * restore can refuse a cut or damaged file before it writes anything.
 *
 * Format 2 added the engine (and PostgreSQL's dump): a format-1 file is a SQLite backup and is still read.
 * The number went up, rather than a field being added, so that a release that reads only format 1 refuses a
 * PostgreSQL backup as "from a newer release" instead of as damaged.
 */
export const BACKUP_MAGIC = 'POLYPHONY-BACKUP';
/** The newest format this release writes and reads; a higher one is from a newer release and refused. */
export const BACKUP_FORMAT = 2;
/** Bytes a restore reads to find the header; a header is a few hundred bytes. */
export const MAX_HEADER_BYTES = 64 * 1024;

/** The SQLite database (an online-backup copy). */
export const SQLITE_ENTRY = 'polyphony.sqlite';
/** The PostgreSQL database: pg_dump's custom-format archive, for pg_restore. */
export const POSTGRES_ENTRY = 'polyphony.pgdump';
/** What may be in a backup: one engine's database and the server secret. */
export const ENTRY_NAMES = [SQLITE_ENTRY, POSTGRES_ENTRY, 'server-secret'] as const;
export type EntryName = (typeof ENTRY_NAMES)[number];

export const ENGINES = ['sqlite', 'postgres'] as const;
export type BackupEngine = (typeof ENGINES)[number];

/** The database entry each engine's backup holds. */
export const DATABASE_ENTRY: Record<BackupEngine, EntryName> = { sqlite: SQLITE_ENTRY, postgres: POSTGRES_ENTRY };

const Sha256 = z.string().regex(/^[0-9a-f]{64}$/);
const Version = z.string().regex(/^\d{1,3}(\.\d{1,4}){0,2}$/);

export const BackupHeader = z.strictObject({
  format: z.union([z.literal(1), z.literal(BACKUP_FORMAT)]),
  engine: z.enum(ENGINES),
  /** PostgreSQL only: the versions of the server dumped and of the pg_dump that dumped it (pg_restore must be as new). */
  postgres: z.strictObject({ server: Version, pgDump: Version }).optional(),
  createdAt: z.iso.datetime(),
  release: z.string().max(64),
  schemaVersions: z.array(z.number().int().positive()).max(10_000),
  entries: z
    .array(z.strictObject({ name: z.enum(ENTRY_NAMES), bytes: z.number().int().nonnegative(), sha256: Sha256 }))
    .min(1)
    .max(ENTRY_NAMES.length),
  payloadSha256: Sha256,
});
export type BackupHeader = z.infer<typeof BackupHeader>;

/** The two header lines that start a backup file. */
export function encodeHeader(header: BackupHeader): Buffer {
  return Buffer.from(`${BACKUP_MAGIC} ${header.format}\n${JSON.stringify(header)}\n`, 'utf8');
}

/**
 * Reads the header from the first bytes of a file: where the payload starts and what it should hold.
 * Throws a bad_request saying plainly what is wrong: not a backup, a newer format, or a damaged header.
 */
export function decodeHeader(start: Buffer): { header: BackupHeader; payloadOffset: number } {
  const firstEnd = start.indexOf(0x0a);
  const first = firstEnd < 0 ? '' : start.subarray(0, firstEnd).toString('utf8');
  const magic = /^POLYPHONY-BACKUP (\d{1,6})$/.exec(first);
  if (!magic) throw new ApiError('bad_request', 'This file is not a Polyphony backup (it does not start with "POLYPHONY-BACKUP").');
  const format = Number(magic[1]);
  if (format > BACKUP_FORMAT) {
    throw new ApiError('bad_request', `This backup was made by a newer Polyphony release (backup format ${format}; this release reads up to ${BACKUP_FORMAT}): restore it with that release.`);
  }
  const secondEnd = start.indexOf(0x0a, firstEnd + 1);
  if (secondEnd < 0) throw new ApiError('bad_request', 'This backup is damaged or cut short: its header is incomplete.');
  let parsed: unknown;
  try {
    parsed = JSON.parse(start.subarray(firstEnd + 1, secondEnd).toString('utf8'));
  } catch {
    throw new ApiError('bad_request', 'This backup is damaged: its header is not readable.');
  }
  // Format 1 had no engine: it was SQLite's.
  if (format === 1 && typeof parsed === 'object' && parsed !== null && !('engine' in parsed)) parsed = { ...parsed, engine: 'sqlite' };
  const header = BackupHeader.safeParse(parsed);
  if (!header.success || header.data.format !== format || !holdsItsDatabase(header.data)) {
    throw new ApiError('bad_request', 'This backup is damaged: its header does not describe a Polyphony backup.');
  }
  return { header: header.data, payloadOffset: secondEnd + 1 };
}

/** Its engine's database first, once; the secret at most once; nothing of the other engine. */
function holdsItsDatabase(header: BackupHeader): boolean {
  const names = header.entries.map((entry) => entry.name);
  const database = DATABASE_ENTRY[header.engine];
  return names[0] === database && new Set(names).size === names.length && names.every((name) => name === database || name === 'server-secret');
}

/** Size of the payload the header describes. */
export function payloadBytes(header: BackupHeader): number {
  return header.entries.reduce((sum, entry) => sum + entry.bytes, 0);
}
