import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisOptionsFor } from '../../server/cluster/redisConnection.ts';
import { parseRedisUrl } from '../../server/cluster/redisUrl.ts';
import { freeTcpPort } from '../../server/livekit/freePort.ts';
import { runDoctor } from '../../server/ops/doctor.ts';
import { startTestRedis, type TestRedis } from '../helpers/redisServer.ts';

let redis: TestRedis;
beforeAll(() => void (redis = startTestRedis()));
afterAll(() => redis.stop());

/** Doctor's redis check for `redisUrl`, the rest of the configuration as small as it can be. */
async function redisCheck(redisUrl: string) {
  const env = { DATA_DIR: '/nonexistent-polyphony-doctor', LIVEKIT: 'off', REDIS_URL: redisUrl };
  return (await runDoctor(env, { timeoutMs: 2_000 })).find((check) => check.name === 'redis');
}

async function setAppendOnly(value: 'yes' | 'no'): Promise<void> {
  const client = new Redis(redisOptionsFor(parseRedisUrl(redis.url)));
  try {
    await client.config('SET', 'appendonly', value);
  } finally {
    client.disconnect();
  }
}

describe('polyphony doctor with REDIS_URL', () => {
  it('passes when Redis answers and keeps an append-only file', async () => {
    expect(await redisCheck(redis.url)).toMatchObject({ ok: true, fix: null });
  });

  it('fails naming the fix when Redis keeps no append-only file', async () => {
    await setAppendOnly('no');
    try {
      const check = await redisCheck(redis.url);
      expect(check).toMatchObject({ ok: false, detail: expect.stringContaining('no append-only file') as unknown });
      expect(check?.fix).toContain('appendonly yes');
    } finally {
      await setAppendOnly('yes');
    }
  });

  it('fails without repeating the password when Redis does not answer, or refuses the password', async () => {
    const closed = await redisCheck(`redis://default:s3cret-pass@127.0.0.1:${await freeTcpPort()}`);
    expect(closed).toMatchObject({ ok: false, detail: expect.stringMatching(/Could not reach the Redis server .*ECONNREFUSED/) as unknown });
    const wrong = new URL(redis.url);
    wrong.password = 'not-the-password';
    const refused = await redisCheck(wrong.toString());
    expect(refused?.ok).toBe(false);
    expect(JSON.stringify([closed, refused])).not.toMatch(/s3cret-pass|not-the-password/);
  });

  it('fails with the expected form for a REDIS_URL that is not one', async () => {
    expect(await redisCheck('redis:/127.0.0.1:6379/zero')).toMatchObject({ ok: false, fix: expect.stringContaining('redis://user:password@host:6379/0') as unknown });
  });
});
