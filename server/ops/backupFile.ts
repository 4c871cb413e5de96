import { z } from 'zod';
import { ApiError } from '../errors.ts';

/**
 * A backup file is one file, readable with `head -2`:
 *
 *   POLYPHONY-BACKUP <format>\n
 *   <header JSON on one line>\n
 *   <payload: the entries' bytes, one after the other, in header order>
 *
 * The header states what the file holds (each entry's name, size and SHA-256, the schema versions of the
 * database in it, when and by which release it was made) and a SHA-256 of the whole payload, so a restore
 * can refuse a cut or damaged file before it writes anything.
 */
export const BACKUP_MAGIC = 'POLYPHONY-BACKUP';
/** The newest format this release writes and reads; a higher one is from a newer release and refused. */
export const BACKUP_FORMAT = 1;
/** Bytes a restore reads to find the header; a header is a few hundred bytes. */
export const MAX_HEADER_BYTES = 64 * 1024;

/** What may be in a backup: the database (an online-backup copy) and the server secret. */
export const ENTRY_NAMES = ['polyphony.sqlite', 'server-secret'] as const;
export type EntryName = (typeof ENTRY_NAMES)[number];

const Sha256 = z.string().regex(/^[0-9a-f]{64}$/);

export const BackupHeader = z.strictObject({
  format: z.literal(BACKUP_FORMAT),
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
  const header = BackupHeader.safeParse(parsed);
  if (!header.success) throw new ApiError('bad_request', 'This backup is damaged: its header does not describe a Polyphony backup.');
  return { header: header.data, payloadOffset: secondEnd + 1 };
}

/** Size of the payload the header describes. */
export function payloadBytes(header: BackupHeader): number {
  return header.entries.reduce((sum, entry) => sum + entry.bytes, 0);
}
