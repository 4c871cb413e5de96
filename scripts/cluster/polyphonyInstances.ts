import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { freeTcpPort } from '../../server/livekit/freePort.ts';
import { SERVER_SECRET_FILE } from '../../server/secret.ts';

const ROOT = resolve(import.meta.dirname, '../..');

/** One `node server/main.ts` of a local cluster: its own data directory and port, the shared PostgreSQL. */
export interface PolyphonyInstance {
  /** polyphony1, polyphony2…: the name HAProxy knows it by. */
  readonly name: string;
  readonly port: number;
  readonly url: string;
  readonly dataDir: string;
  /** The holder name it takes document leases under (server/main.ts logs it); a restart gets a new one. */
  instanceId(): string;
  running(): boolean;
  /** The last log lines (JSON), for a failing test's message. */
  log(): string[];
  /** Ends it: SIGKILL as a crash (nothing flushed, nothing released), SIGTERM as a clean stop. */
  stop(signal?: 'SIGTERM' | 'SIGKILL'): Promise<void>;
  /** Starts it again on the same port and data directory. */
  restart(): Promise<void>;
}

export interface LocalInstances {
  instances: PolyphonyInstance[];
  /** Stops every instance (SIGTERM) and removes their data directories. */
  stop(): Promise<void>;
}

export interface StartInstancesOptions {
  count: number;
  /** The PostgreSQL database every instance shares (migrated by the first to start). */
  databaseUrl: string;
  /** More environment for every instance (e.g. LIVEKIT=off, METRICS_TOKEN, REDIS_URL). */
  env?: Record<string, string>;
  /** Environment for one instance only (its own LiveKit node's ports…), by its number from 1. */
  envOf?: (index: number) => Record<string, string> | Promise<Record<string, string>>;
}

/**
 * Starts `count` Polyphony instances on loopback, all at once, as a regional service runs them on
 * several machines: one PostgreSQL, the same server secret (tickets and invite links signed by one are
 * valid on all), each on a port of its own. Resolves once each has logged `listening`.
 */
export async function startPolyphonyInstances(options: StartInstancesOptions): Promise<LocalInstances> {
  const secret = randomBytes(32);
  const instances: PolyphonyInstance[] = [];
  try {
    for (let index = 1; index <= options.count; index++) {
      const dataDir = mkdtempSync(join(tmpdir(), `polyphony-instance${index}-`));
      writeFileSync(join(dataDir, SERVER_SECRET_FILE), secret, { mode: 0o600 });
      const env = { ...options.env, ...(await options.envOf?.(index)), DATABASE_URL: options.databaseUrl, TRUSTED_PROXIES: '127.0.0.1' };
      instances.push(createInstance(`polyphony${index}`, await freeTcpPort(), dataDir, env));
    }
    // Together, as after a region's restart: the schema is migrated once, under PostgreSQL's advisory lock.
    const started = await Promise.allSettled(instances.map((instance) => instance.restart()));
    const failed = started.find((result) => result.status === 'rejected');
    if (failed) throw failed.reason;
  } catch (error) {
    await stopAll(instances);
    throw error;
  }
  return { instances, stop: () => stopAll(instances) };
}

async function stopAll(instances: readonly PolyphonyInstance[]): Promise<void> {
  for (const instance of instances) {
    await instance.stop('SIGTERM');
    rmSync(instance.dataDir, { recursive: true, force: true });
  }
}

function createInstance(name: string, port: number, dataDir: string, env: Record<string, string>): PolyphonyInstance {
  let child: ChildProcess | null = null;
  let exited: Promise<void> = Promise.resolve();
  let instanceId = '';
  const lines: string[] = [];
  const running = () => child !== null && child.exitCode === null && child.signalCode === null;
  return {
    name,
    port,
    url: `http://127.0.0.1:${port}`,
    dataDir,
    instanceId: () => instanceId,
    running,
    log: () => [...lines],
    async stop(signal = 'SIGTERM') {
      if (running()) child?.kill(signal);
      await exited;
    },
    async restart() {
      if (running()) throw new Error(`${name} is running`);
      const started = spawn(process.execPath, ['server/main.ts'], {
        cwd: ROOT,
        env: { ...process.env, LOG_LEVEL: 'info', ...env, HOST: '127.0.0.1', PORT: String(port), DATA_DIR: dataDir },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      child = started;
      exited = new Promise((done) => started.once('exit', () => done()));
      instanceId = await new Promise<string>((done, fail) => {
        if (!started.stderr) return fail(new Error('no stderr'));
        createInterface({ input: started.stderr }).on('line', (line) => {
          lines.push(line);
          if (lines.length > 200) lines.shift();
          const listening = listeningInstance(line);
          if (listening !== undefined) done(listening);
        });
        started.once('exit', (code, signal) => fail(new Error(`${name} exited before listening (code ${code}, signal ${signal}):\n${lines.slice(-20).join('\n')}`)));
      });
    },
  };
}

/** The instance id of the server's `listening` log line, or undefined for any other line. */
function listeningInstance(line: string): string | undefined {
  try {
    const entry: unknown = JSON.parse(line);
    if (typeof entry !== 'object' || entry === null || !('event' in entry) || entry.event !== 'listening') return undefined;
    return 'instance' in entry && typeof entry.instance === 'string' ? entry.instance : '';
  } catch {
    return undefined;
  }
}
