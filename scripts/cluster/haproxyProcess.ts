import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loopbackHaproxyConfig, type HaproxyBackendServer } from './haproxyConfig.ts';

/** Debian's haproxy (scripts/ensure-haproxy.sh installs it), or undefined where it is absent. */
export function findHaproxy(): string | undefined {
  for (const candidate of ['/usr/sbin/haproxy', '/usr/local/sbin/haproxy']) if (existsSync(candidate)) return candidate;
  try {
    return execFileSync('sh', ['-c', 'command -v haproxy'], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

/** `haproxy -c -f config`: resolves with its output when the configuration is valid, throws it otherwise. */
export function checkHaproxyConfig(haproxy: string, config: string): string {
  try {
    return execFileSync(haproxy, ['-c', '-f', config], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    const output = [error instanceof Object && 'stdout' in error ? error.stdout : '', error instanceof Object && 'stderr' in error ? error.stderr : String(error)]
      .map((part) => (typeof part === 'string' ? part : ''))
      .join('');
    throw new Error(`haproxy -c failed:\n${output}`, { cause: error });
  }
}

export interface RunningHaproxy {
  /** http://127.0.0.1:<port> */
  url: string;
  port: number;
  /** HAProxy's process (to read its CPU from /proc). */
  pid: number;
  /** The generated configuration file. */
  config: string;
  /** Everything HAProxy printed (its alerts and the servers going up and down). */
  output(): string;
  /**
   * One command of HAProxy's runtime API on its admin socket, as an operator runs it with socat (e.g.
   * `set server polyphony_app/polyphony2 state drain`); resolves with HAProxy's answer.
   */
  runtime(command: string): Promise<string>;
  stop(): Promise<void>;
}

/**
 * Starts HAProxy in the foreground on 127.0.0.1:`port` with the shipped configuration (loopbackHaproxyConfig)
 * in front of `servers`. Resolves once it answers /healthz through the default backend.
 */
export async function startHaproxy(options: { port: number; servers: readonly HaproxyBackendServer[]; maxconn?: number }): Promise<RunningHaproxy> {
  const haproxy = findHaproxy();
  if (!haproxy) throw new Error("haproxy is missing: run 'bash scripts/ensure-haproxy.sh' (Debian's package)");
  const runDir = mkdtempSync(join(tmpdir(), 'polyphony-haproxy-'));
  const config = join(runDir, 'haproxy.cfg');
  writeFileSync(config, loopbackHaproxyConfig({ port: options.port, servers: options.servers, runDir, ...(options.maxconn === undefined ? {} : { maxconn: options.maxconn }) }));
  checkHaproxyConfig(haproxy, config);
  const child = spawn(haproxy, ['-db', '-f', config], { stdio: ['ignore', 'pipe', 'pipe'] });
  const pid = child.pid;
  if (pid === undefined) {
    rmSync(runDir, { recursive: true, force: true });
    throw new Error('could not start haproxy');
  }
  let output = '';
  const collect = (chunk: Buffer) => void (output += chunk.toString('utf8'));
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const url = `http://127.0.0.1:${options.port}`;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
    rmSync(runDir, { recursive: true, force: true });
  };
  try {
    await waitUntil(async () => (await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2_000) })).ok, 30_000, () => child.exitCode !== null);
  } catch (error) {
    await stop();
    throw new Error(`HAProxy did not come up:\n${output}`, { cause: error });
  }
  return { url, port: options.port, pid, config, output: () => output, runtime: (command) => runtimeCommand(join(runDir, 'admin.sock'), command), stop };
}

function runtimeCommand(socketPath: string, command: string): Promise<string> {
  return new Promise((done, fail) => {
    let answer = '';
    const socket = createConnection(socketPath, () => socket.end(`${command}\n`));
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => void (answer += chunk));
    socket.on('error', fail);
    socket.on('close', () => done(answer.trim()));
  });
}

async function waitUntil(ready: () => Promise<boolean>, timeoutMs: number, gaveUp: () => boolean): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && !gaveUp()) {
    if (await ready().catch(() => false)) return;
    await new Promise((done) => setTimeout(done, 100));
  }
  throw new Error('timed out');
}
