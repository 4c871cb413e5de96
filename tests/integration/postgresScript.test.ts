import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import pg from 'pg';
import { describe, expect, it } from 'vitest';

const SCRIPT = fileURLToPath(new URL('../../scripts/postgres.sh', import.meta.url));
const run = promisify(execFile);

function exported(output: string, name: string): string {
  const value = new RegExp(`^export ${name}='([^']*)'`, 'm').exec(output)?.[1];
  if (!value) throw new Error(`no ${name} in ${output}`);
  return value;
}

async function until(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (condition()) return true;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return condition();
}

describe('scripts/postgres.sh', () => {
  it('runs a durable PostgreSQL 15 as an unprivileged user on a private socket, and stops it and removes its directory once its owner is gone', async () => {
    const owner = spawn('sleep', ['600']);
    if (owner.pid === undefined) throw new Error('sleep did not start');
    const { stdout } = await run('bash', [SCRIPT, 'start', '--owner-pid', String(owner.pid)]);
    const dir = exported(stdout, 'POLYPHONY_POSTGRES_DIR');
    try {
      const client = new pg.Client({ connectionString: exported(stdout, 'DATABASE_URL') });
      await client.connect();
      const settings = await client.query<{ name: string; setting: string }>(
        "SELECT name, setting FROM pg_settings WHERE name IN ('fsync', 'synchronous_commit', 'full_page_writes', 'listen_addresses', 'server_version_num') ORDER BY name",
      );
      const running = await client.query<{ superuser: boolean }>("SELECT usesuper AS superuser FROM pg_user WHERE usename = 'polyphony'");
      await client.end();
      expect(Object.fromEntries(settings.rows.map((row) => [row.name, row.setting]))).toMatchObject({ fsync: 'on', synchronous_commit: 'on', full_page_writes: 'on', listen_addresses: '' });
      expect(settings.rows.find((row) => row.name === 'server_version_num')?.setting).toMatch(/^15/);
      expect(running.rows[0]?.superuser).toBe(true);
      // The server's files belong to an unprivileged user, never root.
      const { stdout: owners } = await run('stat', ['-c', '%U', `${dir}/data/postmaster.pid`]);
      expect(owners.trim()).not.toBe('root');
    } finally {
      owner.kill();
    }
    expect(await until(() => !existsSync(dir), 30_000)).toBe(true);
  });
});
