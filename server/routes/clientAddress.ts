import type { Context } from 'hono';
import { clientAddressOf, createProxyMatcher } from '../trustedProxies.ts';

/** Where the Node adapter keeps the socket; absent when the app is called in-process without one. */
interface NodeBindings {
  incoming?: { socket?: { remoteAddress?: string } };
}

/**
 * The client's address for a request: the peer, or behind a trusted reverse proxy the right-most
 * untrusted X-Forwarded-For hop (see clientAddressOf). `trustedProxies` come from TRUSTED_PROXIES.
 */
export function createClientAddress(trustedProxies: readonly string[]): (c: Context) => string {
  const isTrusted = createProxyMatcher(trustedProxies);
  return (c) => {
    const bindings = (c.env ?? {}) as NodeBindings;
    return clientAddressOf(bindings.incoming?.socket?.remoteAddress, c.req.header('x-forwarded-for'), isTrusted);
  };
}
