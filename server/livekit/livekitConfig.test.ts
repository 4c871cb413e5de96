import { describe, expect, it } from 'vitest';
import { parseRedisUrl } from '../cluster/redisUrl.ts';
import { renderLiveKitConfig } from './livekitConfig.ts';

describe('renderLiveKitConfig with Redis', () => {
  const base = { port: 7880, rtcUdpPort: 7882, apiKey: 'APIk', apiSecret: 's'.repeat(32), webhookUrl: undefined, public: undefined };

  it('is a single node without Redis, and one node of LiveKit\'s distributed mode with it', () => {
    expect(renderLiveKitConfig(base)).not.toContain('redis:');
    const redis = parseRedisUrl('redis://default:pa%22ss@127.0.0.1:6390/3');
    const text = renderLiveKitConfig({ ...base, redis });
    expect(text).toMatch(/\nredis:\n {2}address: "127\.0\.0\.1:6390"\n {2}username: "default"\n {2}password: "pa\\"ss"\n {2}db: 3\n/);
    expect(text).not.toContain('use_tls');
    expect(renderLiveKitConfig({ ...base, redis: parseRedisUrl('rediss://redis.example.org') })).toContain('  use_tls: true');
  });
});
