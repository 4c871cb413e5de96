import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const SCRIPT = fileURLToPath(new URL('../../scripts/redis.sh', import.meta.url));

export interface TestRedis {
  /** redis://default:<password>@127.0.0.1:<port> */
  url: string;
  /** Kills it at once (as a crash would), keeping its files. */
  pause(): void;
  /** Starts it again on the same port, password and data. */
  resume(): void;
  /** Stops it and removes its directory. */
  stop(): void;
}

/**
 * A private Redis for one test file (scripts/redis.sh): stopped by `stop`, or by the script's watcher if the
 * test run is killed.
 */
export function startTestRedis(): TestRedis {
  const exports = execFileSync('bash', [SCRIPT, 'start', '--owner-pid', String(process.pid)], { encoding: 'utf8' });
  const url = exported(exports, 'REDIS_URL');
  const dir = exported(exports, 'POLYPHONY_REDIS_DIR');
  const run = (command: string): void => void execFileSync('bash', [SCRIPT, command, dir], { stdio: ['ignore', 'ignore', 'inherit'] });
  return { url, pause: () => run('pause'), resume: () => run('resume'), stop: () => run('stop') };
}

function exported(exports: string, name: string): string {
  const match = new RegExp(`^export ${name}='([^']*)'$`, 'm').exec(exports);
  if (!match?.[1]) throw new Error(`scripts/redis.sh start printed no ${name}`);
  return match[1];
}
