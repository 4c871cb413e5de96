/**
 * Thrown for a REDIS_URL that cannot name a Redis server. The message never repeats the URL: it holds the
 * password.
 */
export class RedisUrlError extends Error {
  constructor(reason: string) {
    super(`REDIS_URL is not a usable Redis URL (${reason}); expected redis://user:password@host:6379/0 (rediss:// for TLS).`);
    this.name = 'RedisUrlError';
  }
}

/** A Redis server as both Polyphony's client and LiveKit's `redis:` block need it. */
export interface RedisAddress {
  host: string;
  port: number;
  /** Empty: the `default` user (a password alone, as `requirepass` sets it). */
  username: string;
  password: string;
  db: number;
  tls: boolean;
}

const DEFAULT_PORT = 6379;
/** Redis's default `databases 16`; a higher number is refused by the server, so refuse it here with a clearer word. */
const MAX_DB = 15;

/**
 * Checks a REDIS_URL before anything connects with it, so a typo gives one clear error instead of a client
 * retrying a host name forever. TCP only (LiveKit's Redis client cannot use a Unix socket).
 */
export function parseRedisUrl(raw: string): RedisAddress {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new RedisUrlError('it is not a URL');
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') throw new RedisUrlError(`the scheme is ${url.protocol.replace(/:$/, '')}, not redis or rediss`);
  if (!url.hostname) throw new RedisUrlError('it names no host');
  const port = url.port ? Number(url.port) : DEFAULT_PORT;
  if (!(port >= 1 && port <= 65535)) throw new RedisUrlError('its port is out of range');
  const path = url.pathname.replace(/^\//, '');
  if (path !== '' && !/^\d{1,2}$/.test(path)) throw new RedisUrlError('its path is not a database number');
  const db = path === '' ? 0 : Number(path);
  if (db > MAX_DB) throw new RedisUrlError(`its database number is above ${MAX_DB}`);
  if (url.search !== '' || url.hash !== '') throw new RedisUrlError('it has query parameters or a fragment, which are not read');
  return {
    host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    port,
    username: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
    db,
    tls: url.protocol === 'rediss:',
  };
}

/** `host:port` for messages and LiveKit's `address` (an IPv6 host in brackets). */
export function redisHostPort(address: Pick<RedisAddress, 'host' | 'port'>): string {
  return `${address.host.includes(':') ? `[${address.host}]` : address.host}:${address.port}`;
}
