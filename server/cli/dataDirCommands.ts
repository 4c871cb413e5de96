import { resolve } from 'node:path';
import { readConfig } from '../config.ts';
import { createBackup } from '../ops/backup.ts';
import { runDoctor } from '../ops/doctor.ts';
import { createPostgresBackup } from '../ops/postgresBackup.ts';
import { restoreBackup } from '../ops/restore.ts';
import { copyDataDirToPostgres } from '../store/copy/copyDataDir.ts';
import { required, type CommandLine } from './parseArgs.ts';

/** What a data-directory command answers; `failed` makes the CLI exit 1 with the answer still printed. */
export interface DataDirAnswer {
  result: Record<string, unknown>;
  failed?: boolean;
}

type DataDirCommand = (values: CommandLine['values'], env: NodeJS.ProcessEnv) => Promise<DataDirAnswer>;

/**
 * Commands that work on DATA_DIR itself rather than through the services: they must not open (and so
 * create or migrate) the database the way the other commands do. A restore needs an empty directory, and
 * a backup or a check must change nothing.
 */
export const DATA_DIR_COMMANDS: Record<string, DataDirCommand> = {
  // With DATABASE_URL, the database is PostgreSQL's (pg_dump); the server secret comes from DATA_DIR either way.
  backup: async (v, env) => {
    const { dataDir, databaseUrl } = readConfig(env);
    const out = resolve(required(v, 'out'));
    return { result: { ...(await (databaseUrl === undefined ? createBackup(dataDir, out) : createPostgresBackup(dataDir, databaseUrl, out, env))) } };
  },
  restore: async (v, env) => {
    const { dataDir, databaseUrl } = readConfig(env);
    return { result: { ...(await restoreBackup(resolve(required(v, 'from')), { dataDir, databaseUrl, env })) } };
  },
  // Its answer is the list of checks, also when some failed (then the exit status is 1).
  doctor: async (_v, env) => {
    const checks = await runDoctor(env);
    return { result: { checks }, failed: checks.some((check) => !check.ok) };
  },
  // Reads DATA_DIR through a copy, so the data directory is neither migrated nor changed. Its answer is the
  // summary, also when the engines differ after the copy (then the exit status is 1).
  'db copy': async (v, env) => {
    const summary = await copyDataDirToPostgres(readConfig(env).dataDir, required(v, 'to'));
    return { result: { ...summary }, failed: !summary.equal };
  },
};
