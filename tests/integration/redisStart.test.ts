import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freeTcpPort } from '../../server/livekit/freePort.ts';
import { useCleanups } from '../helpers/cleanups.ts';
import { startTestRedis, type TestRedis } from '../helpers/redisServer.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const cleanup = useCleanups();
const KEYS = { LIVEKIT_API_KEY: 'APIredisstart', LIVEKIT_API_SECRET: 'r'.repeat(40) };

let redis: TestRedis;
beforeAll(() => void (redis = startTestRedis()));
afterAll(() => redis.stop());

/** Starts the server with `env` and waits for it to exit (it must not start); its exit code and stderr. */
async function refusedStart(env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'polyphony-redis-start-'));
  cleanup(() => rmSync(dataDir, { recursive: true, force: true }));
  const child = spawn(process.execPath, ['server/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'silent', ...KEYS, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  cleanup(() => void child.kill('SIGKILL'));
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => void (stderr += chunk.toString('utf8')));
  const code = await new Promise<number | null>((done) => child.once('exit', (exitCode) => done(exitCode)));
  return { code, stderr };
}

describe('REDIS_URL at start', () => {
  it('refuses an unreachable Redis: exit 1 and one line naming it, without the password', async () => {
    const closedPort = await freeTcpPort();
    const { code, stderr } = await refusedStart({ REDIS_URL: `redis://default:s3cret-pass@127.0.0.1:${closedPort}` });
    expect(code).toBe(1);
    const lines = stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^Could not reach the Redis server named by REDIS_URL at 127\\.0\\.0\\.1:${closedPort} \\(.*ECONNREFUSED`));
    expect(stderr).not.toContain('s3cret-pass');
  }, 60_000);

  it('refuses a Redis that refuses the password, in the same way', async () => {
    const wrong = new URL(redis.url);
    wrong.password = 'not-the-password';
    const { code, stderr } = await refusedStart({ REDIS_URL: wrong.toString() });
    expect(code).toBe(1);
    expect(stderr.trim().split('\n')).toEqual([expect.stringMatching(/^Could not reach the Redis server named by REDIS_URL at 127\.0\.0\.1:\d+ \(.*WRONGPASS/)]);
    expect(stderr).not.toContain('not-the-password');
  }, 60_000);

  it('refuses a malformed REDIS_URL before connecting to anything', async () => {
    const { code, stderr } = await refusedStart({ REDIS_URL: 'redis:/127.0.0.1:6379/zero' });
    expect(code).toBe(1);
    expect(stderr.trim().split('\n')).toEqual([expect.stringMatching(/^REDIS_URL is not a usable Redis URL/)]);
  }, 60_000);
});
