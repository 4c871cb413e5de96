import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { selfSignedCert } from '../tests/helpers/selfSignedCert.ts';
import { readConfig, readStartConfig } from './config.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'polyphony-config-'));
  dirs.push(dir);
  return dir;
}

describe('readConfig', () => {
  it('uses the embedded defaults: port 8080, ./data, a local LiveKit server', () => {
    const config = readConfig({});
    expect(config.port).toBe(8080);
    expect(config.dataDir.endsWith('/data')).toBe(true);
    expect(config.livekit).toEqual({ mode: 'embedded', port: 7880, rtcUdpPort: 7882 });
  });

  it('points at an external LiveKit server only with its key and secret', () => {
    expect(() => readConfig({ LIVEKIT_URL: 'wss://lk.example' })).toThrow(/LIVEKIT_API_KEY/);
    const config = readConfig({ LIVEKIT_URL: 'wss://lk.example', LIVEKIT_API_KEY: 'k', LIVEKIT_API_SECRET: 's' });
    expect(config.livekit).toEqual({ mode: 'external', url: 'wss://lk.example', apiKey: 'k', apiSecret: 's' });
  });

  it('takes a join token lifetime from LIVEKIT_TOKEN_TTL_SECONDS, within bounds', () => {
    expect(readConfig({ LIVEKIT_TOKEN_TTL_SECONDS: '30' }).livekit).toMatchObject({ mode: 'embedded', tokenTtlSeconds: 30 });
    expect(() => readConfig({ LIVEKIT_TOKEN_TTL_SECONDS: '0' })).toThrow(/LIVEKIT_TOKEN_TTL_SECONDS/);
    expect(() => readConfig({ LIVEKIT_TOKEN_TTL_SECONDS: '86400' })).toThrow(/LIVEKIT_TOKEN_TTL_SECONDS/);
  });

  it('runs without video when LIVEKIT=off', () => {
    expect(readConfig({ LIVEKIT: 'off' }).livekit.mode).toBe('disabled');
  });

  it('refuses a port that is not a whole number, naming the variable', () => {
    expect(() => readConfig({ PORT: 'eighty' })).toThrow(/PORT/);
  });

  it('takes METRICS_TOKEN only when it is long enough to be a secret', () => {
    expect(readConfig({}).metricsToken).toBeUndefined();
    expect(() => readConfig({ METRICS_TOKEN: 'short' })).toThrow(/METRICS_TOKEN/);
    expect(readConfig({ METRICS_TOKEN: 'a-long-enough-token' }).metricsToken).toBe('a-long-enough-token');
  });

  it('trusts no proxy by default, and reads TRUSTED_PROXIES as addresses and ranges', () => {
    expect(readConfig({}).trustedProxies).toEqual([]);
    expect(readConfig({ TRUSTED_PROXIES: '127.0.0.1,10.0.0.0/8' }).trustedProxies).toEqual(['127.0.0.1', '10.0.0.0/8']);
    expect(() => readConfig({ TRUSTED_PROXIES: 'localhost' })).toThrow(/TRUSTED_PROXIES/);
  });
});

describe('readStartConfig with REDIS_URL', () => {
  const keys = { LIVEKIT_API_KEY: 'APIcluster', LIVEKIT_API_SECRET: 'c'.repeat(40) };

  it('refuses a malformed REDIS_URL with one error that does not repeat the password', () => {
    expect(() => readStartConfig({ ...keys, REDIS_URL: 'redis//:s3cret@127.0.0.1' })).toThrow(/^REDIS_URL is not a usable Redis URL \(it is not a URL\)/);
    expect(() => readStartConfig({ ...keys, REDIS_URL: 'redis//:s3cret@127.0.0.1' })).not.toThrow(/s3cret/);
  });

  it('makes the embedded LiveKit one node of several, only with a key pair shared by every instance', () => {
    expect(() => readStartConfig({ REDIS_URL: 'redis://127.0.0.1:6379' })).toThrow(/LIVEKIT_API_KEY and LIVEKIT_API_SECRET, the same on every instance/);
    const config = readStartConfig({ ...keys, REDIS_URL: 'redis://127.0.0.1:6379', LIVEKIT_WEBHOOK_URL: 'http://127.0.0.1:8000/api/livekit/webhook' });
    expect(config.redis).toMatchObject({ host: '127.0.0.1', port: 6379 });
    expect(config.livekit).toMatchObject({ mode: 'embedded', keys: { apiKey: 'APIcluster' }, webhookUrl: 'http://127.0.0.1:8000/api/livekit/webhook' });
    // An external LiveKit has its own nodes and keys; LIVEKIT=off has none.
    expect(readStartConfig({ REDIS_URL: 'redis://127.0.0.1:6379', LIVEKIT: 'off' }).redis).toBeDefined();
  });

  it('refuses half a key pair, a short secret and a webhook URL that is not http(s)', () => {
    expect(() => readConfig({ LIVEKIT_API_KEY: 'APIcluster' })).toThrow(/go together/);
    expect(() => readConfig({ LIVEKIT_API_KEY: 'APIcluster', LIVEKIT_API_SECRET: 'short' })).toThrow(/at least 32/);
    expect(() => readConfig({ LIVEKIT_WEBHOOK_URL: 'ftp://x' })).toThrow(/LIVEKIT_WEBHOOK_URL/);
  });
});

describe('readStartConfig', () => {
  it('serves plain http when neither TLS file is set, and reads both files when both are', () => {
    expect(readStartConfig({}).tls).toBeUndefined();
    const { cert, key } = selfSignedCert(tempDir());
    expect(readStartConfig({ TLS_CERT_FILE: cert, TLS_KEY_FILE: key }).tls).toEqual({ cert: readFileSync(cert), key: readFileSync(key) });
  });

  it('refuses only one of the two TLS files, naming both variables', () => {
    const { cert, key } = selfSignedCert(tempDir());
    expect(() => readStartConfig({ TLS_CERT_FILE: cert })).toThrow(/TLS_CERT_FILE and TLS_KEY_FILE must be set together/);
    expect(() => readStartConfig({ TLS_KEY_FILE: key })).toThrow(/TLS_CERT_FILE and TLS_KEY_FILE must be set together/);
  });

  it('refuses a key that is not the certificate\'s own', () => {
    const dir = tempDir();
    const good = selfSignedCert(dir, 'good');
    const other = selfSignedCert(dir, 'other');
    expect(() => readStartConfig({ TLS_CERT_FILE: good.cert, TLS_KEY_FILE: other.key })).toThrow(/TLS_KEY_FILE .*other\.key is not the key of the certificate/);
  });

  it('refuses TLS files that are missing or not PEM, naming the variable', () => {
    const dir = tempDir();
    const { cert, key } = selfSignedCert(dir);
    const junk = join(dir, 'junk.pem');
    writeFileSync(junk, 'not a certificate');
    expect(() => readStartConfig({ TLS_CERT_FILE: join(dir, 'absent.crt'), TLS_KEY_FILE: key })).toThrow(/TLS_CERT_FILE .* cannot be read/);
    expect(() => readStartConfig({ TLS_CERT_FILE: cert, TLS_KEY_FILE: join(dir, 'absent.key') })).toThrow(/TLS_KEY_FILE .* cannot be read/);
    expect(() => readStartConfig({ TLS_CERT_FILE: junk, TLS_KEY_FILE: key })).toThrow(/TLS_CERT_FILE .* is not a PEM certificate/);
    expect(() => readStartConfig({ TLS_CERT_FILE: cert, TLS_KEY_FILE: junk })).toThrow(/TLS_KEY_FILE .* is not a PEM private key/);
  });

  it.each([['meet.example.org'], ['localhost:8080'], ['ftp://meet.example.org']])('refuses PUBLIC_URL %s without an http(s) scheme', (url) => {
    expect(() => readStartConfig({ PUBLIC_URL: url })).toThrow(/PUBLIC_URL must start with https:\/\//);
  });

  it('takes PUBLIC_URL with an https or (local) http scheme', () => {
    expect(readStartConfig({ PUBLIC_URL: 'https://meet.example.org/' }).publicUrl).toBe('https://meet.example.org');
    expect(readStartConfig({ PUBLIC_URL: 'http://localhost:8080' }).publicUrl).toBe('http://localhost:8080');
  });
});
