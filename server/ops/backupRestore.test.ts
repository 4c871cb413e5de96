import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, describe, expect, it } from 'vitest';
import { loadOrCreateServerSecret } from '../secret.ts';
import { openDatabase } from '../store/database.ts';
import { createBackup } from './backup.ts';
import { restoreBackup } from './restore.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'polyphony-backup-'));
  dirs.push(dir);
  return dir;
}

/** A data directory with a few rows and a document update, as the server leaves it (WAL mode, open). */
function sourceDataDir(): { dataDir: string; db: DatabaseSync } {
  const dataDir = join(tempDir(), 'data');
  const db = openDatabase(dataDir);
  loadOrCreateServerSecret(dataDir);
  db.prepare('INSERT INTO meetings (id, title, created_at) VALUES (?, ?, ?)').run('m1', 'First', '2025-01-01T00:00:00.000Z');
  db.prepare('INSERT INTO doc_updates (doc_name, seq, data) VALUES (?, ?, ?)').run('meeting-m1', 1, new Uint8Array([1, 2, 3]));
  return { dataDir, db };
}

function rows(dataDir: string): unknown[] {
  const db = new DatabaseSync(join(dataDir, 'polyphony.sqlite'), { readOnly: true });
  try {
    return [db.prepare('SELECT * FROM meetings').all(), db.prepare('SELECT * FROM doc_updates').all(), db.prepare('SELECT version FROM schema_migrations').all()];
  } finally {
    db.close();
  }
}

async function backupOf(dataDir: string): Promise<string> {
  const out = join(tempDir(), 'polyphony.backup');
  await createBackup(dataDir, out);
  return out;
}

/** Rewrites the header line of a backup file (the payload and its checksums stay as they are). */
function withHeader(file: string, edit: (header: Record<string, unknown>) => void): string {
  const bytes = readFileSync(file);
  const first = bytes.indexOf(0x0a);
  const second = bytes.indexOf(0x0a, first + 1);
  const header = JSON.parse(bytes.subarray(first + 1, second).toString('utf8')) as Record<string, unknown>;
  edit(header);
  const edited = join(tempDir(), 'edited.backup');
  writeFileSync(edited, Buffer.concat([bytes.subarray(0, first + 1), Buffer.from(`${JSON.stringify(header)}\n`), bytes.subarray(second + 1)]));
  return edited;
}

describe('backup and restore of a data directory', () => {
  it('restores every row and the server secret into an empty directory, owner-only', async () => {
    const { dataDir, db } = sourceDataDir();
    const file = await backupOf(dataDir);
    db.close();
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const target = join(tempDir(), 'restored');
    const result = await restoreBackup(file, { dataDir: target });
    expect(result.entries.map((e) => e.name)).toEqual(['polyphony.sqlite', 'server-secret']);
    expect(rows(target)).toEqual(rows(dataDir));
    expect(readFileSync(join(target, 'server-secret'))).toEqual(readFileSync(join(dataDir, 'server-secret')));
    expect(statSync(target).mode & 0o777).toBe(0o700);
    for (const name of readdirSync(target)) expect(statSync(join(target, name)).mode & 0o777).toBe(0o600);
  });

  it('still restores a format-1 backup (made before backups named their engine) as a SQLite one', async () => {
    const { dataDir, db } = sourceDataDir();
    const file = await backupOf(dataDir);
    db.close();
    expect(readFileSync(file).subarray(0, 19).toString('latin1')).toBe('POLYPHONY-BACKUP 2\n');
    const old = replaceStart(withHeader(file, (h) => void (delete h['engine'], (h['format'] = 1))), 'POLYPHONY-BACKUP 2', 'POLYPHONY-BACKUP 1');
    const target = join(tempDir(), 'restored');
    expect(await restoreBackup(old, { dataDir: target })).toMatchObject({ engine: 'sqlite' });
    expect(rows(target)).toEqual(rows(dataDir));
  });

  it('refuses a SQLite backup when DATABASE_URL names PostgreSQL, saying how to get there, before writing anything', async () => {
    const { dataDir, db } = sourceDataDir();
    const file = await backupOf(dataDir);
    db.close();
    const target = join(tempDir(), 'restored');
    // Refused on the header alone: nothing connects to this URL.
    const refusal = restoreBackup(file, { dataDir: target, databaseUrl: 'postgres://nobody@127.0.0.1:9/none' });
    await expect(refusal).rejects.toThrow(/db copy --to postgres/);
    await expect(refusal).rejects.toMatchObject({ code: 'conflict' });
    expect(readdirSync(join(target, '..'))).not.toContain('restored');
  });

  it.each([
    ['of a newer schema', (h: Record<string, unknown>) => void (h['schemaVersions'] = [1, 2, 99]), /newer Polyphony release.*99/],
    ['damaged', (h: Record<string, unknown>) => void (h['payloadSha256'] = '0'.repeat(64)), /damaged: its contents do not match/],
  ])('checks a PostgreSQL backup %s before it connects to the database at all', async (_what, damage, message) => {
    const { dataDir, db } = sourceDataDir();
    const file = await backupOf(dataDir);
    db.close();
    // The same bytes presented as a PostgreSQL backup (names are not under the checksums).
    const asPostgres = withHeader(file, (h) => {
      h['engine'] = 'postgres';
      (h['entries'] as { name: string }[])[0] = { ...(h['entries'] as { name: string }[])[0], name: 'polyphony.pgdump' };
      damage(h);
    });
    const target = join(tempDir(), 'restored');
    // Nothing listens on port 9: a connection attempt would be a different error.
    const refusal = restoreBackup(asPostgres, { dataDir: target, databaseUrl: 'postgres://nobody@127.0.0.1:9/none' });
    await expect(refusal).rejects.toThrow(message);
    await expect(refusal).rejects.toMatchObject({ code: 'bad_request' });
    expect(readdirSync(join(target, '..'))).not.toContain('restored');
  });

  it('leaves no temporary file beside the backup and never overwrites an existing one', async () => {
    const { dataDir, db } = sourceDataDir();
    const file = await backupOf(dataDir);
    db.close();
    const dir = join(file, '..');
    expect(readdirSync(dir)).toEqual(['polyphony.backup']);
    await expect(createBackup(dataDir, file)).rejects.toMatchObject({ code: 'conflict' });
  });

  it.each([
    ['cut in half', (file: string) => cut(file, 0.5), /cut short/],
    ['cut inside its header', (file: string) => cut(file, 0.001), /header is incomplete|cut short/],
    ['with one byte of the database changed', (file: string) => flipByte(file, -100), /does not match its checksum/],
    ['from a newer backup format', (file: string) => replaceStart(file, 'POLYPHONY-BACKUP 2', 'POLYPHONY-BACKUP 3'), /newer Polyphony release/],
    ['from a newer schema', (file: string) => withHeader(file, (h) => void (h['schemaVersions'] = [1, 2, 3, 4, 5, 7, 99])), /newer Polyphony release.*99/],
    ['whose header claims the other engine', (file: string) => withHeader(file, (h) => void (h['engine'] = 'postgres')), /damaged: its header/],
    ['that is not a backup at all', (file: string) => replaceStart(file, 'POLYPHONY-BACKUP', 'SQLite format 3\0'), /not a Polyphony backup/],
  ])('refuses a backup %s with one clear error and writes nothing', async (_what, damage, message) => {
    const { dataDir, db } = sourceDataDir();
    const file = damage(await backupOf(dataDir));
    db.close();
    const target = join(tempDir(), 'restored');
    const refusal = restoreBackup(file, { dataDir: target });
    await expect(refusal).rejects.toThrow(message);
    await expect(refusal).rejects.toMatchObject({ code: 'bad_request' });
    expect(readdirSync(join(target, '..'))).not.toContain('restored');
  });

  it('refuses a target directory that is not empty, and leaves it as it was', async () => {
    const { dataDir, db } = sourceDataDir();
    const file = await backupOf(dataDir);
    db.close();
    const target = join(tempDir(), 'restored');
    mkdirSync(target);
    writeFileSync(join(target, 'keep.txt'), 'mine');
    await expect(restoreBackup(file, { dataDir: target })).rejects.toMatchObject({ code: 'conflict' });
    expect(readdirSync(target)).toEqual(['keep.txt']);
  });
});

function cut(file: string, fraction: number): string {
  const bytes = readFileSync(file);
  writeFileSync(file, bytes.subarray(0, Math.max(1, Math.floor(bytes.length * fraction))));
  return file;
}

function flipByte(file: string, fromEnd: number): string {
  const bytes = readFileSync(file);
  const at = bytes.length + fromEnd;
  bytes[at] = (bytes[at] ?? 0) ^ 0xff;
  writeFileSync(file, bytes);
  return file;
}

function replaceStart(file: string, from: string, to: string): string {
  const bytes = readFileSync(file);
  expect(bytes.subarray(0, from.length).toString('latin1')).toBe(from);
  writeFileSync(file, Buffer.concat([Buffer.from(to, 'latin1'), bytes.subarray(from.length)]));
  return file;
}
