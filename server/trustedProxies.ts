import { BlockList, isIP } from 'node:net';

/**
 * Parses `TRUSTED_PROXIES`: comma-separated IP addresses or CIDR ranges (`127.0.0.1, 10.0.0.0/8, ::1`).
 * Throws, naming the variable and the entry, on anything else, so a typo does not silently trust nobody
 * (or everybody). Returns the entries as written, trimmed; empty when unset.
 */
export function parseTrustedProxies(raw: string | undefined): string[] {
  const entries = (raw ?? '').split(',').map((e) => e.trim()).filter((e) => e !== '');
  for (const entry of entries) {
    if (!isAddressOrRange(entry)) throw new Error(`TRUSTED_PROXIES takes IP addresses or CIDR ranges separated by commas, got "${entry}"`);
  }
  return entries;
}

/** Whether an address is one of the trusted proxies. */
export type ProxyMatcher = (address: string) => boolean;

/** A matcher for entries already checked by {@link parseTrustedProxies}. */
export function createProxyMatcher(entries: readonly string[]): ProxyMatcher {
  const list = new BlockList();
  for (const entry of entries) {
    const [address = '', prefix] = entry.split('/');
    const type = isIP(address) === 6 ? 'ipv6' : 'ipv4';
    if (prefix === undefined) list.addAddress(address, type);
    else list.addSubnet(address, Number(prefix), type);
  }
  return (address) => {
    const version = isIP(address);
    return version !== 0 && list.check(address, version === 6 ? 'ipv6' : 'ipv4');
  };
}

/**
 * The client's address: the peer itself unless the peer is a trusted proxy; then the right-most entry of
 * X-Forwarded-For that is not a trusted proxy (entries further left were written by the client and can be
 * anything). IPv4-mapped IPv6 (`::ffff:1.2.3.4`) is written as plain IPv4, so both forms count as one.
 */
export function clientAddressOf(peer: string | undefined, forwardedFor: string | undefined, isTrusted: ProxyMatcher): string {
  let address = normalize(peer ?? '') || 'unknown';
  if (!isTrusted(address) || !forwardedFor) return address;
  const hops = forwardedFor.split(',').map((hop) => normalize(hop.trim()));
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = hops[i] ?? '';
    if (isIP(hop) === 0) return address; // a malformed hop: stop at the last address we could trust
    address = hop;
    if (!isTrusted(hop)) return hop;
  }
  return address;
}

function normalize(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return mapped?.[1] ?? address;
}

function isAddressOrRange(entry: string): boolean {
  const [address = '', prefix, extra] = entry.split('/');
  const version = isIP(address);
  if (version === 0 || extra !== undefined) return false;
  if (prefix === undefined) return true;
  const bits = Number(prefix);
  return /^\d+$/.test(prefix) && bits >= 0 && bits <= (version === 6 ? 128 : 32);
}
