import { describe, expect, it } from 'vitest';
import { clientAddressOf, createProxyMatcher, parseTrustedProxies } from './trustedProxies.ts';

describe('trusted proxies (security review: behind a reverse proxy everyone shared one address)', () => {
  const trusted = createProxyMatcher(parseTrustedProxies('127.0.0.1, 10.0.0.0/8, ::1'));

  it('uses the peer address when no proxy is trusted, and ignores X-Forwarded-For from anyone else', () => {
    const none = createProxyMatcher([]);
    expect(clientAddressOf('127.0.0.1', '203.0.113.5', none)).toBe('127.0.0.1');
    expect(clientAddressOf('198.51.100.9', '203.0.113.5', trusted)).toBe('198.51.100.9');
  });

  it('takes the right-most untrusted hop when the peer is a trusted proxy', () => {
    expect(clientAddressOf('127.0.0.1', '203.0.113.5', trusted)).toBe('203.0.113.5');
    expect(clientAddressOf('::ffff:127.0.0.1', '1.1.1.1, 203.0.113.5, 10.0.0.2', trusted)).toBe('203.0.113.5');
    expect(clientAddressOf('::1', '::ffff:203.0.113.5', trusted)).toBe('203.0.113.5');
  });

  it('does not let a client pick its address by writing the header itself', () => {
    // The client sent "X-Forwarded-For: 1.2.3.4"; the proxy appended the real address.
    expect(clientAddressOf('127.0.0.1', '1.2.3.4, 203.0.113.5', trusted)).toBe('203.0.113.5');
    expect(clientAddressOf('127.0.0.1', 'garbage, 203.0.113.5', trusted)).toBe('203.0.113.5');
    expect(clientAddressOf('127.0.0.1', 'not-an-ip', trusted)).toBe('127.0.0.1');
  });

  it('refuses a TRUSTED_PROXIES entry that is not an address or range, naming the variable', () => {
    expect(parseTrustedProxies(undefined)).toEqual([]);
    expect(parseTrustedProxies(' 10.0.0.0/8 ,, fd00::/8 ')).toEqual(['10.0.0.0/8', 'fd00::/8']);
    expect(() => parseTrustedProxies('10.0.0.0/33')).toThrow(/TRUSTED_PROXIES.*10\.0\.0\.0\/33/);
    expect(() => parseTrustedProxies('proxy.internal')).toThrow(/TRUSTED_PROXIES/);
  });
});
