import { execFile, execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import type { Cleanup } from '../sync/cleanup.ts';
import { sampleProc, type ProcSample } from '../sync/procStats.ts';

const run = promisify(execFile);
const SCRIPT = resolve(import.meta.dirname, '../../scripts/redis.sh');

/** The bench's Redis: the project's throw-away redis-server (scripts/redis.sh: loopback, password, AOF fsync every second). */
export interface BenchRedis {
  /** redis://default:<password>@127.0.0.1:<port> */
  readonly url: string;
  /** Its CPU and RSS, from /proc. */
  sample(): ProcSample;
}

export async function startBenchRedis(cleanup: Cleanup): Promise<BenchRedis> {
  const { stdout } = await run('bash', [SCRIPT, 'start', '--owner-pid', String(process.pid)], { encoding: 'utf8' });
  const url = exported(stdout, 'REDIS_URL');
  const dir = exported(stdout, 'POLYPHONY_REDIS_DIR');
  // Synchronous, so that it also runs on a crash or Ctrl-C; the watcher started with --owner-pid is the last resort.
  cleanup.emergency(() => void execFileSync('bash', [SCRIPT, 'stop', dir], { stdio: 'ignore' }));
  cleanup.add(async () => void (await run('bash', [SCRIPT, 'stop', dir])));
  const pid = Number(readFileSync(join(dir, 'redis.pid'), 'utf8').trim());
  return { url, sample: () => sampleProc(pid) };
}

function exported(output: string, name: string): string {
  const match = new RegExp(`^export ${name}='([^']*)'$`, 'm').exec(output);
  if (!match?.[1]) throw new Error(`scripts/redis.sh start printed no ${name}`);
  return match[1];
}
