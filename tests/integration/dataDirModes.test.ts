import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.ts';
import { addUser } from '../helpers/seed.ts';
import { startServerProcess } from '../helpers/serverProcess.ts';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function tempDataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'polyphony-modes-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Every path under `dir` (itself included) with its permission bits, e.g. `{ 'polyphony.sqlite-wal': 0o600 }`. */
function modes(dir: string, prefix = ''): Record<string, number> {
  const found: Record<string, number> = { [prefix || '.']: statSync(dir).mode & 0o777 };
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) Object.assign(found, modes(path, `${prefix}${name}/`));
    else found[`${prefix}${name}`] = statSync(path).mode & 0o777;
  }
  return found;
}

function expectOwnerOnly(dir: string): void {
  const all = modes(dir);
  for (const [path, mode] of Object.entries(all)) {
    const isDir = path === '.' || path.endsWith('/');
    expect(mode.toString(8), path).toBe(isDir ? '700' : '600');
  }
}

describe('data directory permissions (finding: database, WAL and SHM were world-readable)', () => {
  it('the server keeps DATA_DIR at 0700 and the database, its -wal and -shm and the secret at 0600', async () => {
    const dataDir = join(tempDataDir(), 'data');
    const server = await startServerProcess({ dataDir, env: { LIVEKIT: 'off' } });
    cleanups.push(() => server.stop());
    await addUser(dataDir, 'pat@team.org'); // a write, so the log and shared-memory files exist

    const all = modes(dataDir);
    expect(Object.keys(all)).toEqual(expect.arrayContaining(['polyphony.sqlite', 'polyphony.sqlite-wal', 'polyphony.sqlite-shm', 'server-secret']));
    expectOwnerOnly(dataDir);
  });

  it('corrects files an older version left readable by others, when the server starts', async () => {
    const dataDir = tempDataDir();
    await cli(dataDir, ['network', 'create', '--name', 'Jo', '--referred-at', new Date().toISOString()]);
    mkdirSync(join(dataDir, 'livekit'), { recursive: true });
    writeFileSync(join(dataDir, 'livekit', 'livekit.yaml'), 'keys: {}\n');
    for (const path of Object.keys(modes(dataDir))) chmodSync(join(dataDir, path), path === '.' || path.endsWith('/') ? 0o755 : 0o644);
    expect(statSync(join(dataDir, 'polyphony.sqlite')).mode & 0o777).toBe(0o644);

    const server = await startServerProcess({ dataDir, env: { LIVEKIT: 'off' } });
    cleanups.push(() => server.stop());

    expect(existsSync(join(dataDir, 'polyphony.sqlite-wal'))).toBe(true);
    expectOwnerOnly(dataDir);
  });

  it('the ops CLI, run first on a new DATA_DIR, makes it owner-only too', async () => {
    const dataDir = join(tempDataDir(), 'fresh');
    await cli(dataDir, ['network', 'create', '--name', 'Jo', '--referred-at', new Date().toISOString()]);
    expectOwnerOnly(dataDir);
  });
});
