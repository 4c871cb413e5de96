import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type pg from 'pg';
import { ApiError } from '../errors.ts';
import { DATABASE_ENTRY } from './backupFile.ts';
import { extractEntry, locateEntries, writeEntries, type VerifiedBackup } from './backupEntries.ts';
import { connectPostgres } from './postgresTarget.ts';
import { requireTool } from './pgToolVersion.ts';
import { runPgTool } from './runPgTool.ts';

export interface PostgresRestoreTarget {
  dataDir: string;
  /** The data directory does not exist yet: undoing the restore removes it again. */
  createsDir: boolean;
  databaseUrl: string;
  env: NodeJS.ProcessEnv;
}

/**
 * Restores a verified PostgreSQL backup: its dump into DATABASE_URL's database, which must be empty, and the
 * server secret into DATA_DIR. Refused before anything is written: an unreachable or non-empty database, a
 * pg_restore missing or older than the pg_dump that made the backup. pg_restore runs in one transaction that
 * stops at the first error (`--single-transaction --exit-on-error`), so a failed restore leaves the database
 * as it was; the secret, written first, is then removed again. Returns the database without its password.
 */
export async function restoreIntoPostgres(backup: VerifiedBackup, target: PostgresRestoreTarget): Promise<string> {
  const { url, client, serverVersion, shown } = await connectPostgres(target.databaseUrl);
  try {
    const pgDump = backup.header.postgres?.pgDump ?? serverVersion;
    await requireTool('pg_restore', { version: pgDump, of: 'the pg_dump that made this backup' }, target.env);
    await refuseNonEmptyDatabase(client);
  } finally {
    await client.end().catch(() => {});
  }
  const entries = locateEntries(backup);
  const dump = entries.find((entry) => entry.name === DATABASE_ENTRY.postgres);
  if (!dump) throw new ApiError('bad_request', 'This backup is damaged: it holds no database.');
  // A private folder for the dump: pg_restore needs a file it can seek in (out of order reads of a pipe fail).
  const folder = await mkdtemp(join(tmpdir(), 'polyphony-restore-'));
  try {
    const dumpFile = join(folder, dump.name);
    await extractEntry(backup.file, dump, dumpFile);
    const undo = await writeEntries(backup, entries.filter((entry) => entry !== dump), target.dataDir, target.createsDir);
    try {
      await runPgTool('pg_restore', ['--single-transaction', '--exit-on-error', '--no-owner', '--no-privileges', dumpFile], url, target.env);
    } catch (error) {
      await undo();
      throw error instanceof ApiError ? new ApiError(error.code, `${error.message} The database was left as it was.`) : error;
    }
    return shown;
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

/**
 * Refuses a database that holds anything of its own: a restore must neither mix with nor overwrite other
 * data, and pg_restore would stop at the first object that exists. Names a few of what it found.
 */
async function refuseNonEmptyDatabase(client: pg.Client): Promise<void> {
  // Tables first: they are what an operator recognises (a server that started on it, another application).
  const found = await client.query<{ what: string }>(`
    SELECT what FROM (
      SELECT CASE c.relkind WHEN 'S' THEN 3 WHEN 'v' THEN 2 WHEN 'm' THEN 2 ELSE 1 END AS rank, format('%s %I.%I', CASE c.relkind WHEN 'S' THEN 'sequence' WHEN 'v' THEN 'view' WHEN 'm' THEN 'view' ELSE 'table' END, n.nspname, c.relname) AS what
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp%'
         AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
      UNION ALL
      SELECT 4, format('schema %I', nspname) FROM pg_namespace
       WHERE nspname NOT IN ('public', 'pg_catalog', 'information_schema') AND nspname NOT LIKE 'pg\\_%'
      UNION ALL
      SELECT 5, format('function %I.%I', n.nspname, p.proname) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
       WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')
      UNION ALL
      SELECT 6, format('extension %I', extname) FROM pg_extension WHERE extname <> 'plpgsql'
    ) AS objects ORDER BY rank, what LIMIT 6`);
  if (found.rows.length === 0) return;
  const shown = found.rows.slice(0, 5).map((row) => row.what).join(', ');
  throw new ApiError(
    'conflict',
    `The database named by DATABASE_URL is not empty (it holds ${shown}${found.rows.length > 5 ? ' and more' : ''}); nothing was changed in it. A restore goes only into a new, empty database (createdb NAME), so that nothing there is overwritten or mixed with the backup.`,
  );
}
