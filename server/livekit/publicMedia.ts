import { isIP } from 'node:net';

/**
 * How the embedded LiveKit is reached from other machines (public mode). Signalling always goes through
 * Polyphony's own origin (`/rtc`, proxied to LiveKit on loopback), so one host name and one certificate
 * serve both; media goes straight to LiveKit's ports on the public address:
 * - UDP (one port, all media multiplexed) for most networks;
 * - ICE over TCP for networks that drop UDP;
 * - LiveKit's embedded TURN over UDP, and over TLS for networks that let only HTTPS out. LiveKit tells
 *   browsers TURN/TLS is at `turns:<domain>:443` whatever its own port: the TLS port must be reachable as
 *   443 on the TURN domain (its own address, or SNI routing in front; see deploy/).
 * TURN credentials are LiveKit's own, made per participant session and short-lived.
 */
export interface PublicMedia {
  /** The address media is announced on; undefined: LiveKit finds it through STUN at start-up. */
  publicIp: string | undefined;
  /** ICE over TCP. */
  rtcTcpPort: number;
  turn: {
    /** Host name browsers use for TURN/TLS; its certificate must name it. */
    domain: string;
    udpPort: number;
    /** 0 when no certificate is given: TURN over TLS is then off (TURN/UDP and ICE/TCP remain). */
    tlsPort: number;
    certFile: string | undefined;
    keyFile: string | undefined;
    relayPorts: { start: number; end: number };
    /**
     * Private and loopback ranges TURN may relay to, which it refuses by default (a TURN server must not
     * become a way into the host's own network). Empty in production; tests on one machine list its address.
     */
    allowPeers: string[];
  };
}

type Env = Record<string, string | undefined>;

/**
 * Public mode is on when PUBLIC_URL names a host other than this machine's loopback, or when
 * MEDIA_PUBLIC_IP is set (which also lets it be tried on one machine). Undefined: loopback only.
 */
export function publicMediaFrom(env: Env, publicUrl: string | undefined): PublicMedia | undefined {
  const publicIp = env['MEDIA_PUBLIC_IP'] || undefined;
  const host = publicUrl && URL.canParse(publicUrl) ? new URL(publicUrl).hostname : undefined;
  if (publicIp === undefined && (host === undefined || isLoopbackHost(host))) return undefined;
  if (publicIp !== undefined && isIP(publicIp) === 0) throw new Error(`MEDIA_PUBLIC_IP must be an IP address, got "${publicIp}"`);
  const certFile = env['TURN_CERT_FILE'] || env['TLS_CERT_FILE'] || undefined;
  const keyFile = env['TURN_KEY_FILE'] || env['TLS_KEY_FILE'] || undefined;
  const domain = env['TURN_DOMAIN'] || host || '';
  const tlsPort = certFile && keyFile ? port(env, 'TURN_TLS_PORT', 5349) : 0;
  if (tlsPort > 0 && !isDomainName(domain)) throw new Error(`TURN over TLS needs a host name: set TURN_DOMAIN (PUBLIC_URL's host "${domain}" is not one)`);
  return {
    publicIp,
    rtcTcpPort: port(env, 'LIVEKIT_RTC_TCP_PORT', 7881),
    turn: {
      domain,
      udpPort: port(env, 'TURN_UDP_PORT', 3478),
      tlsPort,
      certFile,
      keyFile,
      relayPorts: portRange(env, 'TURN_RELAY_PORTS', { start: 30000, end: 30199 }),
      allowPeers: cidrList(env, 'TURN_ALLOW_PEERS'),
    },
  };
}

/** The URL browsers use for LiveKit signalling in public mode: Polyphony's own origin, as ws(s). */
export function publicSignalUrl(publicUrl: string): string {
  const url = new URL(publicUrl);
  return `${url.protocol === 'https:' ? 'wss:' : 'ws:'}//${url.host}`;
}

function cidrList(env: Env, name: string): string[] {
  const raw = env[name];
  if (!raw) return [];
  const cidrs = raw.split(',').map((part) => part.trim());
  for (const cidr of cidrs) {
    const [address, bits, ...rest] = cidr.split('/');
    const width = isIP(address ?? '') === 6 ? 128 : 32;
    if (isIP(address ?? '') === 0 || rest.length > 0 || !/^\d+$/.test(bits ?? '') || Number(bits) > width) throw new Error(`${name} must list CIDR ranges such as 10.0.0.5/32, got "${cidr}"`);
  }
  return cidrs;
}

function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host.endsWith('.localhost') || host === '[::1]' || /^127\./.test(host);
}

/** What LiveKit accepts as a TURN domain: labels of letters, digits and hyphens, with at least one dot. */
function isDomainName(name: string): boolean {
  return /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i.test(name);
}

function port(env: Env, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > 65535) throw new Error(`${name} must be a port number (1-65535), got "${raw}"`);
  return value;
}

function portRange(env: Env, name: string, fallback: { start: number; end: number }): { start: number; end: number } {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const match = /^(\d+)-(\d+)$/.exec(raw);
  const start = Number(match?.[1]);
  const end = Number(match?.[2]);
  if (!match || start < 1024 || end > 65535 || start > end) throw new Error(`${name} must be a port range such as 30000-30199, got "${raw}"`);
  return { start, end };
}
