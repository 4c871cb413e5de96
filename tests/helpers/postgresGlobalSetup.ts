import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { openPostgres } from '../../server/store/postgres/database.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The throw-away server's maintenance database (superuser); tests make their own databases with it. */
    postgresAdminUrl: string;
    /** A database migrated to this release's schema, to be copied (CREATE DATABASE … TEMPLATE) per test. */
    postgresTemplate: string;
  }
}

const SCRIPT = fileURLToPath(new URL('../../scripts/postgres.sh', import.meta.url));
export const POSTGRES_TEMPLATE = 'polyphony_template';

/**
 * Vitest global setup of the integration tests: one PostgreSQL server for the whole run (scripts/postgres.sh,
 * stopped at the end, or by its watcher if this run is killed), and one migrated template database from which
 * every test that needs PostgreSQL copies its own.
 */
export default async function setup(project: TestProject): Promise<() => void> {
  const exports = execFileSync('bash', [SCRIPT, 'start', '--owner-pid', String(process.pid)], { encoding: 'utf8' });
  const adminUrl = exportedValue(exports, 'DATABASE_URL');
  const dir = exportedValue(exports, 'POLYPHONY_POSTGRES_DIR');
  const stop = (): void => void execFileSync('bash', [SCRIPT, 'stop', dir], { stdio: 'inherit' });
  try {
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${POSTGRES_TEMPLATE}`);
    await admin.end();
    await (await openPostgres(databaseUrlFor(adminUrl, POSTGRES_TEMPLATE), { max: 1 })).end();
  } catch (error) {
    stop();
    throw error;
  }
  project.provide('postgresAdminUrl', adminUrl);
  project.provide('postgresTemplate', POSTGRES_TEMPLATE);
  return stop;
}

function exportedValue(exports: string, name: string): string {
  const match = new RegExp(`^export ${name}='([^']*)'$`, 'm').exec(exports);
  if (!match?.[1]) throw new Error(`scripts/postgres.sh start printed no ${name}`);
  return match[1];
}

/** The same server and credentials, another database. */
export function databaseUrlFor(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}
