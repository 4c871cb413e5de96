import { parseRedisUrl } from '../cluster/redisUrl.ts';
import { readConfig, type ServerConfig } from '../config.ts';
import { checkClock, checkDatabase, checkDataDirModes, checkDiskSpace } from './doctorDataChecks.ts';
import { checkPostgres } from './doctorPostgresChecks.ts';
import { checkRedis } from './doctorRedisCheck.ts';
import { checkLiveKit, checkPort, checkPublicUrl, checkTls } from './doctorNetworkChecks.ts';
import { checkTurn, type TurnTlsTarget } from './doctorTurnCheck.ts';

/** One thing `polyphony doctor` checked: when it failed, `fix` says in one sentence what to do. */
export interface DoctorCheck {
  name: string;
  ok: boolean;
  detail: string;
  fix: string | null;
}

export interface DoctorOptions {
  /** Below this much free space in DATA_DIR's file system the disk check fails. */
  minFreeBytes?: number;
  /** How long a network check (our port, LiveKit) may take. */
  timeoutMs?: number;
  /** Where TURN over TLS is tried, if not at TURN_DOMAIN:443 (tests on one machine). */
  turnTls?: TurnTlsTarget;
  /** This machine's clock as the checks read it (tests: a clock set wrong). */
  now?: () => Date;
}

export const passed = (name: string, detail: string): DoctorCheck => ({ name, ok: true, detail, fix: null });
export const failed = (name: string, detail: string, fix: string): DoctorCheck => ({ name, ok: false, detail, fix });

/**
 * Checks what an operator most often gets wrong, without changing anything: the configuration reads, the
 * port is free (or our own server answers on it), PUBLIC_URL is a proper origin, the database opens and its
 * schema is this release's (with DATABASE_URL: PostgreSQL answers, and pg_dump is there for backups),
 * DATA_DIR is owner-only, there is disk space, the clock is not behind what the database already holds (and,
 * on PostgreSQL, agrees with PostgreSQL's), LiveKit can run or be reached with its keys, TLS files (if any)
 * match, and, when public mode turns on the embedded TURN, TURN answers over UDP and TLS where browsers are
 * sent; with REDIS_URL, Redis answers and keeps an append-only file.
 */
export async function runDoctor(env: NodeJS.ProcessEnv, options: DoctorOptions = {}): Promise<DoctorCheck[]> {
  let config: ServerConfig;
  try {
    config = readConfig(env);
  } catch (error) {
    return [failed('config', error instanceof Error ? error.message : String(error), 'Correct that environment variable and run doctor again.')];
  }
  const timeoutMs = options.timeoutMs ?? 3000;
  const now = options.now ?? (() => new Date());
  const turn = await checkTurn(config, timeoutMs, options.turnTls);
  const database =
    config.databaseUrl === undefined
      ? { checks: [checkDatabase(config.dataDir)], clock: checkClock(config.dataDir, now()) }
      : await checkPostgres(config.databaseUrl, env, timeoutMs, now);
  return [
    passed('config', 'The environment reads as a valid configuration.'),
    await checkPort(config, timeoutMs),
    checkPublicUrl(config.publicUrl),
    ...database.checks,
    checkDataDirModes(config.dataDir),
    await checkDiskSpace(config.dataDir, options.minFreeBytes ?? 1024 ** 3),
    database.clock,
    await checkLiveKit(config, env, timeoutMs),
    checkTls(env, config.publicUrl),
    ...(turn ? [turn] : []),
    ...(config.redisUrl === undefined ? [] : [await redisCheck(config.redisUrl, timeoutMs)]),
  ];
}

async function redisCheck(redisUrl: string, timeoutMs: number): Promise<DoctorCheck> {
  try {
    return await checkRedis(parseRedisUrl(redisUrl), timeoutMs);
  } catch (error) {
    return failed('redis', error instanceof Error ? error.message : String(error), 'Correct REDIS_URL: redis://user:password@host:6379/0 (rediss:// for TLS).');
  }
}
