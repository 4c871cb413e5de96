import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { freeTcpPort } from '../../server/livekit/freePort.ts';
import { useCleanups } from '../helpers/cleanups.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const cleanup = useCleanups();

describe('npm run cluster (scripts/cluster.ts)', () => {
  it('starts PostgreSQL, Redis, HAProxy and three instances, answers /healthz through its URL, and leaves nothing behind on Ctrl+C', async () => {
    const child = spawn(process.execPath, ['scripts/cluster.ts'], {
      cwd: ROOT,
      env: { ...process.env, CLUSTER_PORT: String(await freeTcpPort()) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    cleanup(() => void child.kill('SIGKILL'));
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => void (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => void (stderr += chunk.toString('utf8')));
    const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
    const url = await new Promise<string>((done, fail) => {
      const timer = setInterval(() => {
        const match = /cluster is up: (http:\/\/127\.0\.0\.1:\d+)/.exec(stdout);
        if (match?.[1] && stdout.includes('Redis: REDIS_URL')) done(match[1]);
      }, 200);
      void exited.then(() => fail(new Error(`cluster exited before it was up:\n${stdout}\n${stderr}`)));
      cleanup(() => clearInterval(timer));
    });
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    expect(stdout).toMatch(/First run: create the first administrator at http:\/\/127\.0\.0\.1:\d+\/setup#/);
    expect(stdout.match(/its own LiveKit node ws:\/\/127\.0\.0\.1:\d+/g)).toHaveLength(2);

    const processes = descendantsOf(child.pid ?? -1);
    const postgresDir = /host=(\/[^']+)'/.exec(stdout)?.[1] ?? '';
    const redisDir = /files in (\/\S+)\)/.exec(stdout)?.[1] ?? '';
    const daemons = [Number(readFileSync(`${postgresDir}/data/postmaster.pid`, 'utf8').split('\n')[0]), Number(readFileSync(`${redisDir}/redis.pid`, 'utf8').trim())];
    // Three instances, two LiveKit nodes and HAProxy under the script; PostgreSQL and Redis run detached.
    expect(processes.filter((pid) => commandOf(pid).includes('server/main.ts'))).toHaveLength(3);
    expect(processes.filter((pid) => commandOf(pid).includes('livekit-server'))).toHaveLength(2);
    expect(daemons.every(alive)).toBe(true);

    child.kill('SIGINT');
    expect(await exited).toBe(0);
    expect([...processes, ...daemons].filter(alive)).toEqual([]);
    expect(existsSync(postgresDir)).toBe(false);
    expect(existsSync(redisDir)).toBe(false);
  }, 300_000);
});

/** Every process below `pid`, from /proc (Linux). */
function descendantsOf(pid: number): number[] {
  const parents = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = statOf(Number(entry));
    if (stat) parents.set(Number(entry), stat.ppid);
  }
  const found: number[] = [];
  const visit = (parent: number): void => {
    for (const [child, ppid] of parents) {
      if (ppid !== parent) continue;
      found.push(child);
      visit(child);
    }
  };
  visit(pid);
  return found;
}

function statOf(pid: number): { ppid: number; state: string } | undefined {
  try {
    // "pid (comm) state ppid …": comm may hold spaces and parentheses, so read after the last ')'.
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const [state, ppid] = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { ppid: Number(ppid), state: state ?? '' };
  } catch {
    return undefined;
  }
}

/** Running, not a zombie waiting for its parent to reap it. */
function alive(pid: number): boolean {
  const stat = statOf(pid);
  return stat !== undefined && stat.state !== 'Z';
}

function commandOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
  } catch {
    return '';
  }
}
