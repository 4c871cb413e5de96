import { describe, expect, it } from 'vitest';
import { renderLiveKitConfig } from './livekitConfig.ts';
import { publicMediaFrom, publicSignalUrl } from './publicMedia.ts';

describe('public mode of the embedded LiveKit (issue 14)', () => {
  it('stays on loopback without a public URL, or with one on this machine', () => {
    expect(publicMediaFrom({}, undefined)).toBeUndefined();
    expect(publicMediaFrom({}, 'http://localhost:8080')).toBeUndefined();
    expect(publicMediaFrom({}, 'http://127.0.0.1:8080')).toBeUndefined();
  });

  it('opens up for a public URL: ICE/TCP, TURN over UDP, and over TLS once a certificate is given', () => {
    const plain = publicMediaFrom({}, 'https://meet.example.org');
    expect(plain).toMatchObject({ publicIp: undefined, rtcTcpPort: 7881, turn: { domain: 'meet.example.org', udpPort: 3478, tlsPort: 0, allowPeers: [] } });
    const withCert = publicMediaFrom({ TLS_CERT_FILE: '/etc/c.pem', TLS_KEY_FILE: '/etc/k.pem', TURN_DOMAIN: 'turn.example.org' }, 'https://meet.example.org');
    expect(withCert?.turn).toMatchObject({ domain: 'turn.example.org', tlsPort: 5349, certFile: '/etc/c.pem', keyFile: '/etc/k.pem' });
    expect(publicMediaFrom({ MEDIA_PUBLIC_IP: '203.0.113.7' }, undefined)?.publicIp).toBe('203.0.113.7');
  });

  it('refuses settings that would not work, each with what to write instead', () => {
    expect(() => publicMediaFrom({ MEDIA_PUBLIC_IP: 'meet.example.org' }, undefined)).toThrow(/MEDIA_PUBLIC_IP must be an IP address/);
    expect(() => publicMediaFrom({ TURN_RELAY_PORTS: '40000' }, 'https://meet.example.org')).toThrow(/port range such as 30000-30199/);
    expect(() => publicMediaFrom({ TURN_RELAY_PORTS: '50000-40000' }, 'https://meet.example.org')).toThrow(/port range/);
    expect(() => publicMediaFrom({ TURN_UDP_PORT: '70000' }, 'https://meet.example.org')).toThrow(/TURN_UDP_PORT must be a port number/);
    expect(() => publicMediaFrom({ TURN_ALLOW_PEERS: '10.0.0.5' }, 'https://meet.example.org')).toThrow(/CIDR/);
    expect(() => publicMediaFrom({ TLS_CERT_FILE: 'c', TLS_KEY_FILE: 'k', MEDIA_PUBLIC_IP: '203.0.113.7' }, undefined)).toThrow(/TURN_DOMAIN/);
  });

  it('tells browsers to signal through the app origin, as ws or wss', () => {
    expect(publicSignalUrl('https://meet.example.org')).toBe('wss://meet.example.org');
    expect(publicSignalUrl('http://10.0.0.5:8080')).toBe('ws://10.0.0.5:8080');
  });

  it('keeps signalling on loopback in both modes and opens media ports only in public mode', () => {
    const base = { port: 7880, rtcUdpPort: 7882, apiKey: 'APIk', apiSecret: 's', webhookUrl: undefined };
    const loopback = renderLiveKitConfig({ ...base, public: undefined });
    expect(loopback).toContain('bind_addresses: ["127.0.0.1"]');
    expect(loopback).toContain('tcp_port: 0');
    expect(loopback).toMatch(/turn:\n {2}enabled: false/);
    const open = renderLiveKitConfig({ ...base, public: publicMediaFrom({ MEDIA_PUBLIC_IP: '203.0.113.7' }, 'https://meet.example.org') });
    expect(open).toContain('bind_addresses: ["127.0.0.1"]');
    expect(open).toContain('tcp_port: 7881');
    expect(open).toContain('node_ip: "203.0.113.7"');
    expect(open).toMatch(/turn:\n {2}enabled: true/);
    expect(open).not.toContain('allow_restricted_peer_cidrs');
    expect(open).not.toContain('tls_port');
  });
});
