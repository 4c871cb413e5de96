import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.ts';
import { useCleanups } from '../helpers/cleanups.ts';
import { addUser, seedNetwork } from '../helpers/seed.ts';

const cleanup = useCleanups();

function dataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'polyphony-cli-'));
  cleanup(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

describe('ops CLI: team accounts', () => {
  it('deactivates with a reason, taking the person off their networks, and reactivates', async () => {
    const dir = dataDir();
    await addUser(dir, 'admin@team.org', { admin: true });
    await addUser(dir, 'pat@team.org');
    await seedNetwork(dir, { team: ['pat@team.org'] });
    expect(await cli(dir, ['user', 'deactivate', '--user', 'pat@team.org'])).toMatchObject({ error: { code: 'bad_request' } });
    expect(await cli(dir, ['user', 'deactivate', '--user', 'pat@team.org', '--reason', 'Left the team'])).toMatchObject({ email: 'pat@team.org', networksLeft: 1, sessionsEnded: 0 });
    expect(await cli(dir, ['user', 'deactivate', '--user', 'pat@team.org', '--reason', 'Again'])).toMatchObject({ error: { code: 'conflict' } });
    expect(await cli(dir, ['user', 'deactivate', '--user', 'admin@team.org', '--reason', 'Last one'])).toMatchObject({ error: { code: 'conflict' } });
    expect(await cli(dir, ['user', 'reactivate', '--user', 'pat@team.org'])).toMatchObject({ email: 'pat@team.org', active: true });
    expect(await cli(dir, ['user', 'reactivate', '--user', 'nobody@team.org'])).toMatchObject({ error: { code: 'not_found' } });
  });

  it('prints a one-time reset link, or sets a password from stdin when it is strong enough', async () => {
    const dir = dataDir();
    await addUser(dir, 'pat@team.org');
    const link = await cli(dir, ['user', 'reset-password', '--user', 'pat@team.org']);
    expect(String(link['url'])).toMatch(/^http:\/\/localhost:8080\/reset-password#[A-Za-z0-9_-]{43}$/);
    expect(await cli(dir, ['user', 'reset-password', '--user', 'pat@team.org', '--password-stdin'], 'aaaaaaaaaaaa\n')).toMatchObject({ error: { code: 'bad_request' } });
    expect(await cli(dir, ['user', 'reset-password', '--user', 'pat@team.org', '--password-stdin'], 'lantern river spoon march\n')).toMatchObject({ passwordSet: true });
    expect(await cli(dir, ['user', 'sessions', '--user', 'pat@team.org'])).toEqual({ count: 0, sessions: [] });
    expect(await cli(dir, ['user', 'end-sessions', '--user', 'pat@team.org'])).toEqual({ ended: 0 });
  });
});
