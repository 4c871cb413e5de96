import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { freeTcpPort, freeUdpPort } from '../../server/livekit/freePort.ts';
import { engineFor, forgetEngineOf, testEngine } from './testStores.ts';

const ROOT = resolve(import.meta.dirname, '../..');

export interface ServerProcess {
  url: string;
  port: number;
  dataDir: string;
  /** Everything the server printed on stdout so far (the first-run setup link goes there). */
  stdout(): string;
  /** Ends the server with SIGTERM (a clean shutdown) or SIGKILL (a crash); resolves once it has exited. */
  stop(signal?: 'SIGTERM' | 'SIGKILL'): Promise<void>;
  /** Stops the server if running and removes its data directory. */
  dispose(): Promise<void>;
}

export interface ServerOptions {
  /** Reuse a data directory (a restart); a fresh temporary one otherwise. */
  dataDir?: string;
  env?: Record<string, string>;
  /** A command the server is started through, e.g. `ip netns exec NAME` (it must exec, keeping the pid). */
  launcher?: string[];
}

/**
 * Starts the real server (`node server/main.ts`) on a free port, as a separate process so that it can be
 * killed and restarted like in production. Resolves when it logs `listening`.
 */
export async function startServerProcess(options: ServerOptions = {}): Promise<ServerProcess> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'polyphony-test-'));
  const engine = await engineFor(dataDir);
  const [command, ...args] = [...(options.launcher ?? []), process.execPath, 'server/main.ts'];
  const child = spawn(command ?? process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'info', ...engine.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // The engine the environment names: an explicit DATABASE_URL puts even a SQLite-project test on PostgreSQL.
  const expected = (options.env?.['DATABASE_URL'] ?? engine.env['DATABASE_URL']) ? 'postgres' : testEngine();
  let stdout = '';
  child.stdout?.on('data', (chunk: Buffer) => void (stdout += chunk.toString('utf8')));
  const { port, scheme } = await waitForListening(child, expected);
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const stop = async (signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM') => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    await exited;
  };
  return {
    url: `${scheme}://127.0.0.1:${port}`,
    port,
    dataDir,
    stdout: () => stdout,
    stop,
    async dispose() {
      await stop('SIGTERM');
      if (options.dataDir) return;
      rmSync(dataDir, { recursive: true, force: true });
      await forgetEngineOf(dataDir);
    },
  };
}

interface Listening {
  port: number;
  /** https when the server ends TLS itself (TLS_CERT_FILE/TLS_KEY_FILE), as its `listening` line says. */
  scheme: 'http' | 'https';
}

function waitForListening(child: ChildProcess, expected: 'sqlite' | 'postgres'): Promise<Listening> {
  return new Promise((done, fail) => {
    const lines: string[] = [];
    const stderr = child.stderr;
    if (!stderr) return fail(new Error('server has no stderr'));
    createInterface({ input: stderr }).on('line', (line) => {
      if (process.env['TEST_SERVER_LOGS']) process.stderr.write(`[server] ${line}\n`);
      lines.push(line);
      try {
        const listening = listeningOf(line, expected);
        if (listening !== undefined) done(listening);
      } catch (error) {
        child.kill('SIGKILL');
        fail(error instanceof Error ? error : new Error(String(error)));
      }
    });
    child.once('exit', (code, signal) =>
      fail(new Error(`server exited before listening (code ${code}, signal ${signal}):\n${lines.slice(-20).join('\n')}`)),
    );
  });
}

function listeningOf(line: string, expected: 'sqlite' | 'postgres'): Listening | undefined {
  try {
    const entry: unknown = JSON.parse(line);
    if (typeof entry === 'object' && entry !== null && 'event' in entry && entry.event === 'listening' && 'port' in entry) {
      const scheme = 'url' in entry && typeof entry.url === 'string' && entry.url.startsWith('https:') ? 'https' : 'http';
      // A test meant for PostgreSQL that silently ran on SQLite would prove nothing about PostgreSQL.
      const store = 'store' in entry ? entry.store : undefined;
      if (store !== expected) throw new WrongEngineError(`the server runs on ${String(store)}, the test expects ${expected}`);
      return typeof entry.port === 'number' ? { port: entry.port, scheme } : undefined;
    }
  } catch (error) {
    if (error instanceof WrongEngineError) throw error;
    // Not a log line of ours (e.g. a child process' own output): ignore it.
  }
  return undefined;
}

class WrongEngineError extends Error {}

/** Environment for a server whose embedded LiveKit listens on free ports (so test files can run side by side). */
export async function embeddedLiveKitEnv(): Promise<Record<string, string>> {
  return { LIVEKIT_PORT: String(await freeTcpPort()), LIVEKIT_RTC_UDP_PORT: String(await freeUdpPort()) };
}
