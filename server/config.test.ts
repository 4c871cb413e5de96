import { describe, expect, it } from 'vitest';
import { readConfig } from './config.ts';

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
