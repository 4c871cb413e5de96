import { resolve } from 'node:path';
import { METRICS_TOKEN_MIN_LENGTH } from './metrics/metricsAccess.ts';
import { publicMediaFrom, type PublicMedia } from './livekit/publicMedia.ts';
import { readTlsFiles, type TlsFiles } from './tlsFiles.ts';
import { parseTrustedProxies } from './trustedProxies.ts';
import { validateDatabaseUrl } from './store/postgres/databaseUrl.ts';
import type { StoreConfig } from './store/openStores.ts';
import { parseRedisUrl, type RedisAddress } from './cluster/redisUrl.ts';

/** Where the video comes from: a child process we start, a server someone else runs, or none. */
export type LiveKitConfig =
  | ({ mode: 'embedded'; port: number; rtcUdpPort: number; public: PublicMedia | undefined } & EmbeddedClusterConfig & JoinTokenConfig)
  | ({ mode: 'external'; url: string; apiKey: string; apiSecret: string } & JoinTokenConfig)
  | { mode: 'disabled'; reason: string };

export interface JoinTokenConfig {
  /** `LIVEKIT_TOKEN_TTL_SECONDS`: how long a join token lives (server/livekit/tokens.ts has the default). */
  tokenTtlSeconds?: number | undefined;
}

/** What the embedded LiveKit needs to be one node of several (see README, "Several instances"). */
export interface EmbeddedClusterConfig {
  /**
   * `LIVEKIT_API_KEY` and `LIVEKIT_API_SECRET` without `LIVEKIT_URL`: the embedded LiveKit's key pair, instead
   * of the one it keeps in DATA_DIR/livekit. Required with REDIS_URL: every node and every instance must
   * hold the same pair, or a token minted by one instance is refused by another instance's node.
   */
  keys?: { apiKey: string; apiSecret: string } | undefined;
  /**
   * `LIVEKIT_WEBHOOK_URL`: where the embedded LiveKit posts its webhooks instead of this instance on loopback;
   * in a cluster, the load balancer, so that a webhook reaches a live instance even while this one stops.
   */
  webhookUrl?: string | undefined;
}

/** LiveKit refuses a secret shorter than this at start-up; saying so here names the variable. */
const LIVEKIT_SECRET_MIN_LENGTH = 32;

/** A join token must outlast a slow connect, and should not outlive its purpose by much (it cannot be revoked). */
const TOKEN_TTL_RANGE_S = { min: 5, max: 3_600 };

export interface ServerConfig {
  port: number;
  host: string;
  dataDir: string;
  /**
   * `DATABASE_URL`: a PostgreSQL database holds the data instead of SQLite in the data directory (which still
   * holds the server secret and the embedded LiveKit's keys).
   */
  databaseUrl: string | undefined;
  /** Built client to serve; absent in dev, where Vite serves it. */
  clientDir: string;
  livekit: LiveKitConfig;
  maxMessageBytes: number | undefined;
  /** Origin that links (invites, setup) point at; defaults to the request's own origin, or localhost. */
  publicUrl: string | undefined;
  /** Bearer token a Prometheus scraper must send to /metrics; without it /metrics does not exist (404). */
  metricsToken: string | undefined;
  /**
   * Reverse proxies whose X-Forwarded-For is believed (IPs or CIDR ranges). Empty: the peer address is the
   * client address. Login throttling and the sessions list use the address found this way.
   */
  trustedProxies: string[];
  /**
   * `REDIS_URL`, as given (checked by readStartConfig): what instances share. With it the embedded LiveKit
   * runs in LiveKit's distributed mode, one node of several on the same Redis.
   */
  redisUrl: string | undefined;
}

/**
 * Reads the configuration from the environment. Embedded defaults: port 8080, `./data`, a local LiveKit
 * server. `LIVEKIT_URL` (+ key and secret) points at an external one; `LIVEKIT=off` runs without video.
 */
export function readConfig(env: NodeJS.ProcessEnv): ServerConfig {
  const publicUrl = env['PUBLIC_URL']?.replace(/\/+$/, '') || undefined;
  return {
    port: intFrom(env, 'PORT', 8080),
    host: env['HOST'] ?? '127.0.0.1',
    dataDir: resolve(env['DATA_DIR'] ?? 'data'),
    databaseUrl: env['DATABASE_URL']?.trim() || undefined,
    clientDir: resolve(env['CLIENT_DIR'] ?? 'dist'),
    livekit: liveKitFrom(env, publicUrl),
    maxMessageBytes: env['SYNC_MAX_MESSAGE_BYTES'] ? intFrom(env, 'SYNC_MAX_MESSAGE_BYTES', 0) : undefined,
    publicUrl,
    metricsToken: metricsTokenFrom(env),
    trustedProxies: parseTrustedProxies(env['TRUSTED_PROXIES']),
    redisUrl: env['REDIS_URL']?.trim() || undefined,
  };
}

/** What the server needs to start: the configuration, checked strictly, and the TLS files if it ends TLS itself. */
export interface StartConfig extends ServerConfig {
  tls: TlsFiles | undefined;
  /** REDIS_URL, parsed. */
  redis: RedisAddress | undefined;
}

/**
 * readConfig plus the checks that must hold before the server starts: PUBLIC_URL is an http(s) URL and the
 * TLS files, if any, are a matching pair. `doctor` reads the lenient config so it can report each of these
 * as its own check instead.
 */
export function readStartConfig(env: NodeJS.ProcessEnv): StartConfig {
  const config = readConfig(env);
  if (config.publicUrl !== undefined) checkPublicUrlScheme(config.publicUrl);
  if (config.databaseUrl !== undefined) validateDatabaseUrl(config.databaseUrl);
  const redis = config.redisUrl === undefined ? undefined : parseRedisUrl(config.redisUrl);
  if (redis && config.livekit.mode === 'embedded' && !config.livekit.keys) {
    throw new Error(
      'REDIS_URL makes the embedded LiveKit one node of several: set LIVEKIT_API_KEY and LIVEKIT_API_SECRET, the same on every instance (a key pair made per data directory would make each node refuse the others\' tokens).',
    );
  }
  return { ...config, tls: readTlsFiles(env), redis };
}

function checkPublicUrlScheme(publicUrl: string): void {
  const url = URL.canParse(publicUrl) ? new URL(publicUrl) : undefined;
  if (url?.protocol !== 'https:' && url?.protocol !== 'http:') {
    throw new Error(`PUBLIC_URL must start with https:// (or http:// for local use), got "${publicUrl}"`);
  }
}

function metricsTokenFrom(env: NodeJS.ProcessEnv): string | undefined {
  const token = env['METRICS_TOKEN'];
  if (!token) return undefined;
  if (token.length < METRICS_TOKEN_MIN_LENGTH) throw new Error(`METRICS_TOKEN must be at least ${METRICS_TOKEN_MIN_LENGTH} characters`);
  return token;
}

function liveKitFrom(env: NodeJS.ProcessEnv, publicUrl: string | undefined): LiveKitConfig {
  if (env['LIVEKIT'] === 'off') return { mode: 'disabled', reason: 'Video is switched off on this server.' };
  const url = env['LIVEKIT_URL'];
  if (url) {
    const apiKey = env['LIVEKIT_API_KEY'];
    const apiSecret = env['LIVEKIT_API_SECRET'];
    if (!apiKey || !apiSecret) throw new Error('LIVEKIT_URL needs LIVEKIT_API_KEY and LIVEKIT_API_SECRET');
    return { mode: 'external', url, apiKey, apiSecret, tokenTtlSeconds: tokenTtlFrom(env) };
  }
  return {
    mode: 'embedded',
    port: intFrom(env, 'LIVEKIT_PORT', 7880),
    rtcUdpPort: intFrom(env, 'LIVEKIT_RTC_UDP_PORT', 7882),
    public: publicMediaFrom(env, publicUrl),
    tokenTtlSeconds: tokenTtlFrom(env),
    ...embeddedClusterFrom(env),
  };
}

function embeddedClusterFrom(env: NodeJS.ProcessEnv): EmbeddedClusterConfig {
  const apiKey = env['LIVEKIT_API_KEY'];
  const apiSecret = env['LIVEKIT_API_SECRET'];
  const webhookUrl = env['LIVEKIT_WEBHOOK_URL']?.trim() || undefined;
  const config: EmbeddedClusterConfig = {};
  if (apiKey || apiSecret) {
    if (!apiKey || !apiSecret) throw new Error('LIVEKIT_API_KEY and LIVEKIT_API_SECRET go together: set both, or neither');
    if (!/^[A-Za-z0-9_-]+$/.test(apiKey)) throw new Error('LIVEKIT_API_KEY may hold only letters, digits, - and _');
    if (apiSecret.length < LIVEKIT_SECRET_MIN_LENGTH) throw new Error(`LIVEKIT_API_SECRET must be at least ${LIVEKIT_SECRET_MIN_LENGTH} characters`);
    config.keys = { apiKey, apiSecret };
  }
  if (webhookUrl !== undefined) {
    const url = URL.canParse(webhookUrl) ? new URL(webhookUrl) : undefined;
    if (url?.protocol !== 'http:' && url?.protocol !== 'https:') throw new Error(`LIVEKIT_WEBHOOK_URL must be an http(s) URL, got "${webhookUrl}"`);
    config.webhookUrl = webhookUrl;
  }
  return config;
}

function tokenTtlFrom(env: NodeJS.ProcessEnv): number | undefined {
  if (!env['LIVEKIT_TOKEN_TTL_SECONDS']) return undefined;
  const ttl = intFrom(env, 'LIVEKIT_TOKEN_TTL_SECONDS', 0);
  if (ttl < TOKEN_TTL_RANGE_S.min || ttl > TOKEN_TTL_RANGE_S.max) {
    throw new Error(`LIVEKIT_TOKEN_TTL_SECONDS must be between ${TOKEN_TTL_RANGE_S.min} and ${TOKEN_TTL_RANGE_S.max}, got ${ttl}`);
  }
  return ttl;
}

function intFrom(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a whole number, got "${raw}"`);
  return value;
}

/** Which engine holds the data: PostgreSQL when DATABASE_URL is set, else SQLite in the data directory. */
export function storeConfigOf(config: Pick<ServerConfig, 'dataDir' | 'databaseUrl'>): StoreConfig {
  return config.databaseUrl !== undefined ? { engine: 'postgres', databaseUrl: config.databaseUrl, dataDir: config.dataDir } : { engine: 'sqlite', dataDir: config.dataDir };
}
