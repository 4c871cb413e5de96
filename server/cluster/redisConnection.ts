import { Redis } from 'ioredis';
import { redisHostPort, type RedisAddress } from './redisUrl.ts';

/** How long a start-up check waits for Redis to answer before calling it unreachable. */
const CHECK_TIMEOUT_MS = 5_000;

/** Thrown when the Redis server named by REDIS_URL cannot be reached or refuses the login. */
export class RedisUnreachableError extends Error {
  constructor(address: RedisAddress, cause: unknown) {
    const code = cause instanceof Error && 'code' in cause && typeof cause.code === 'string' ? `${cause.code}: ` : '';
    const detail = cause instanceof Error ? `${code}${cause.message}` : 'unknown error';
    super(`Could not reach the Redis server named by REDIS_URL at ${redisHostPort(address)} (${detail}).`, { cause });
    this.name = 'RedisUnreachableError';
  }
}

/** The connection part of ioredis' options (its own RedisOptions type does not allow exactOptionalPropertyTypes). */
export interface RedisConnectOptions {
  host: string;
  port: number;
  username?: string;
  password?: string;
  db: number;
  tls?: { servername: string };
}

/**
 * ioredis options for `address`. Built from the parsed address rather than handing ioredis the URL, so the
 * URL is read one way only (parseRedisUrl), and LiveKit and Polyphony cannot disagree about it.
 */
export function redisOptionsFor(address: RedisAddress): RedisConnectOptions {
  return {
    host: address.host,
    port: address.port,
    ...(address.username ? { username: address.username } : {}),
    ...(address.password ? { password: address.password } : {}),
    db: address.db,
    ...(address.tls ? { tls: { servername: address.host } } : {}),
  };
}

/**
 * Connects once, authenticates and PINGs, then disconnects: before a server starts, an unreachable Redis, a
 * wrong password or a database number the server refuses must be one clear error, not a client that retries
 * in the background while LiveKit fails to start. Rejects with RedisUnreachableError.
 */
export async function checkRedisReachable(address: RedisAddress): Promise<void> {
  await withRedisOnce(address, CHECK_TIMEOUT_MS, async () => {});
}

/**
 * Whether Redis keeps an append-only file (`INFO persistence`): LiveKit keeps which node holds which room
 * there, and a Redis restarted empty forgets it. Rejects with RedisUnreachableError.
 */
export async function redisAppendOnly(address: RedisAddress, timeoutMs: number): Promise<boolean> {
  return withRedisOnce(address, timeoutMs, async (client) => /^aof_enabled:1\r?$/m.test(await client.info('persistence')));
}

/** One connection, authenticated and PINGed, for `use`; then disconnected. */
async function withRedisOnce<T>(address: RedisAddress, timeoutMs: number, use: (client: Redis) => Promise<T>): Promise<T> {
  const client = new Redis({
    ...redisOptionsFor(address),
    lazyConnect: true,
    connectTimeout: timeoutMs,
    // One attempt: this is a check, retrying is the caller's decision.
    retryStrategy: () => null,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
  });
  // An 'error' event nobody hears would end the process; and it carries the reason (ECONNREFUSED, WRONGPASS)
  // that the rejection below replaces with "Connection is closed".
  let reason: unknown;
  client.on('error', (error: unknown) => void (reason ??= error));
  try {
    await client.connect();
    await client.ping();
    return await use(client);
  } catch (error) {
    throw new RedisUnreachableError(address, reason ?? error);
  } finally {
    client.disconnect();
  }
}
