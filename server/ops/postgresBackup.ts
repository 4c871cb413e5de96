import { open, rm } from 'node:fs/promises';
import { ApiError } from '../errors.ts';
import { appliedPostgresVersions } from '../store/postgres/database.ts';
import { PRIVATE_FILE_MODE } from '../store/privateDataDir.ts';
import { POSTGRES_ENTRY } from './backupFile.ts';
import { assembleBackup, refuseExisting, scratchStem, secretSource, type BackupResult } from './backupWriter.ts';
import { connectPostgres } from './postgresTarget.ts';
import { requireTool } from './pgToolVersion.ts';
import { runPgTool } from './runPgTool.ts';

/**
 * Writes a consistent copy of DATABASE_URL's database (pg_dump) and DATA_DIR's server secret into one
 * owner-only backup file at `out`, in the same format as a SQLite backup.
 *
 * One moment for everything: this process opens a REPEATABLE READ transaction, exports its snapshot, reads
 * the schema versions in it, and pg_dump dumps that same snapshot (`--snapshot`), so the header describes
 * exactly the dump, and every edit committed (acknowledged) before the backup began is in it while the
 * server goes on writing.
 *
 * pg_dump's custom format (`--format=custom`): compressed (documents and notes compress well), and read back
 * by pg_restore, which restores it in one transaction that stops at the first error. `--no-owner
 * --no-privileges`: the restored tables belong to whoever restores them; the source's roles need not exist.
 */
export async function createPostgresBackup(dataDir: string, databaseUrl: string, out: string, env: NodeJS.ProcessEnv): Promise<BackupResult> {
  refuseExisting(out);
  const { url, client, serverVersion, shown } = await connectPostgres(databaseUrl);
  try {
    const pgDump = await requireTool('pg_dump', { version: serverVersion, of: 'the PostgreSQL server' }, env);
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const snapshot = String((await client.query<{ id: string }>('SELECT pg_export_snapshot() AS id')).rows[0]?.id);
    const createdAt = new Date().toISOString();
    const schemaVersions = await appliedPostgresVersions(client);
    if (schemaVersions.length === 0) {
      throw new ApiError('not_found', 'The database named by DATABASE_URL holds no Polyphony data (it has no schema yet): there is nothing to back up (is DATABASE_URL right?).');
    }
    const dump = `${scratchStem(out)}.pgdump`;
    try {
      // Made owner-only first: pg_dump truncates and fills it, keeping the mode.
      await (await open(dump, 'wx', PRIVATE_FILE_MODE)).close();
      await runPgTool('pg_dump', ['--format=custom', '--no-owner', '--no-privileges', `--snapshot=${snapshot}`, `--file=${dump}`], url, env);
      await client.query('COMMIT');
      const info = { createdAt, schemaVersions, postgres: { server: serverVersion, pgDump } };
      return { ...(await assembleBackup(out, 'postgres', info, [{ name: POSTGRES_ENTRY, path: dump }, ...secretSource(dataDir)])), database: shown };
    } finally {
      await rm(dump, { force: true });
    }
  } finally {
    await client.end().catch(() => {});
  }
}
