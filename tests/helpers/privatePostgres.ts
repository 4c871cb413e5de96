import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll } from 'vitest';

const SCRIPT = fileURLToPath(new URL('../../scripts/postgres.sh', import.meta.url));
const run = promisify(execFile);

export interface PrivatePostgres {
  /** The file's own database (set once beforeAll has run). */
  url(): string;
  /** Kills it at once (`pg_ctl -m immediate`), keeping its data, as a crash would. */
  pause(): Promise<void>;
  /** Starts it again on the same port and data. */
  resume(): Promise<void>;
}

/**
 * A PostgreSQL of this test file's own (scripts/postgres.sh), started before its tests and stopped after:
 * for tests that stop or restart PostgreSQL, which must not disturb the shared one other files use. The
 * script's watcher stops it if the test run is killed.
 */
export function usePrivatePostgres(): PrivatePostgres {
  let dir = '';
  let url = '';
  beforeAll(async () => {
    const { stdout } = await run('bash', [SCRIPT, 'start', '--owner-pid', String(process.pid)]);
    dir = exported(stdout, 'POLYPHONY_POSTGRES_DIR');
    url = exported(stdout, 'DATABASE_URL');
  }, 120_000);
  afterAll(async () => {
    if (dir) await run('bash', [SCRIPT, 'stop', dir]);
  }, 120_000);
  return {
    url: () => url,
    pause: async () => void (await run('bash', [SCRIPT, 'pause', dir])),
    resume: async () => void (await run('bash', [SCRIPT, 'resume', dir])),
  };
}

function exported(output: string, name: string): string {
  const value = new RegExp(`^export ${name}='([^']*)'`, 'm').exec(output)?.[1];
  if (!value) throw new Error(`scripts/postgres.sh start printed no ${name}`);
  return value;
}
