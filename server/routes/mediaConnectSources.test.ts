import { describe, expect, it } from 'vitest';
import type { MediaState } from '../livekit/mediaState.ts';
import { mediaConnectSources } from './mediaConnectSources.ts';

const available = (url: string): MediaState => ({ status: 'available', url, serverUrl: url, apiKey: 'key', apiSecret: 'secret', localOnly: true });

describe('mediaConnectSources', () => {
  it('allows any loopback port of the scheme when LiveKit is on loopback (several nodes on one machine)', () => {
    expect(mediaConnectSources(available('ws://127.0.0.1:7880'))).toEqual(['ws://127.0.0.1:*']);
    expect(mediaConnectSources(available('ws://localhost:7880'))).toEqual(['ws://localhost:*']);
  });

  it('names a node other machines reach exactly', () => {
    expect(mediaConnectSources(available('wss://meet.example.org'))).toEqual(['wss://meet.example.org']);
    expect(mediaConnectSources(available('ws://10.0.0.5:7880'))).toEqual(['ws://10.0.0.5:7880']);
  });

  it('allows nothing more while video is unavailable', () => {
    expect(mediaConnectSources({ status: 'unavailable', reason: 'starting' })).toEqual([]);
  });
});
