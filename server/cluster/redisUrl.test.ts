import { describe, expect, it } from 'vitest';
import { parseRedisUrl, redisHostPort } from './redisUrl.ts';

describe('parseRedisUrl', () => {
  it('reads host, port, user, password, database and TLS', () => {
    expect(parseRedisUrl('rediss://app:p%40ss@redis.example.org:6380/2')).toEqual({ host: 'redis.example.org', port: 6380, username: 'app', password: 'p@ss', db: 2, tls: true });
    expect(parseRedisUrl(' redis://127.0.0.1 ')).toEqual({ host: '127.0.0.1', port: 6379, username: '', password: '', db: 0, tls: false });
    expect(parseRedisUrl('redis://:only-a-password@[::1]:7000')).toMatchObject({ host: '::1', port: 7000, username: '', password: 'only-a-password' });
  });

  it('refuses what cannot name a Redis server, with one sentence that never repeats the password', () => {
    const refusals: [string, RegExp][] = [
      ['localhost:6379', /scheme is localhost/],
      ['not a url', /not a URL/],
      ['http://u:s3cret@redis:6379', /scheme is http/],
      ['redis://u:s3cret@redis:6379/x', /not a database number/],
      ['redis://u:s3cret@redis:6379/16', /above 15/],
      ['redis://u:s3cret@redis:6379/0?tls=true', /query parameters/],
      ['redis:///0', /names no host/],
    ];
    for (const [raw, reason] of refusals) {
      let message = '';
      try {
        parseRedisUrl(raw);
      } catch (error) {
        message = error instanceof Error ? error.message : String(error);
      }
      expect(message, raw).toMatch(reason);
      expect(message).toMatch(/^REDIS_URL is not a usable Redis URL/);
      expect(message).not.toContain('s3cret');
    }
  });

  it('writes an IPv6 host in brackets for host:port', () => {
    expect(redisHostPort({ host: '::1', port: 6379 })).toBe('[::1]:6379');
    expect(redisHostPort({ host: 'redis', port: 6379 })).toBe('redis:6379');
  });
});
