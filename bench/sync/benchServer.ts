import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { createTicketSigner, type TicketSigner } from '../../server/sync/tickets.ts';
import { ENV_DATA_DIR, ENV_TICKET_SECRET, parseReadyLine, POSTGRES_KINDS, type ServerKind } from '../servers/childProcess.ts';
import type { Cleanup } from './cleanup.ts';
import type { PostgresCluster } from './postgresCluster.ts';
import { sampleProc, type ProcSample } from './procStats.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const ENTRY: Record<ServerKind, string> = {
  polyphony: 'bench/servers/polyphony.ts',
  'y-websocket-server': 'bench/servers/yWebsocketServer.ts',
  hocuspocus: 'bench/servers/hocuspocus.ts',
  'polyphony-postgres': 'bench/servers/polyphony.ts',
  'hocuspocus-postgres': 'bench/servers/hocuspocusPostgres.ts',
};
const READY_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 10_000;

/** What a client needs to reach a server: its protocol, its port on 127.0.0.1, a ticket. */
export type SyncEndpoint = Pick<BenchServer, 'kind' | 'port' | 'ticket'>;

/** Where client `indexInRoom` of a room on `docName` connects (the server itself unless it says otherwise). */
export function endpointOf(server: BenchServer, docName: string, indexInRoom: number): SyncEndpoint {
  return server.endpointFor?.(docName, indexInRoom) ?? server;
}

/**
 * Where a server keeps its data: always a data directory (SQLite files, or only the server's own files), and
 * for the PostgreSQL kinds a database of its own on the bench's PostgreSQL. A restart on the same storage
 * finds the same data.
 */
export interface BenchStorage {
  dataDir: string;
  databaseUrl: string | undefined;
}

/** A server under test, running in its own process so its CPU and memory can be read from /proc. */
export interface BenchServer {
  readonly kind: ServerKind;
  readonly pid: number;
  readonly port: number;
  readonly storage: BenchStorage;
  /**
   * A valid read-write ticket for `docName`, signed with the secret the server was given. Each ticket is
   * for a person of its own unless `subject` is given: Polyphony's rates are per person, and a room of 50
   * bench clients is 50 people, not one.
   */
  ticket(docName: string, subject?: string): string;
  sample(): ProcSample;
  /** The PostgreSQL cluster's processes (CPU of all, RSS of the postmaster), for the PostgreSQL kinds; else null. */
  sampleDatabase(): ProcSample | null;
  /**
   * Where client `indexInRoom` of a room on `docName` connects; absent: this server itself. A cluster
   * (bench/cluster) spreads a room's clients over its instances, or sends them all through its load balancer.
   */
  endpointFor?(docName: string, indexInRoom: number): SyncEndpoint;
  /** CPU and RSS of each process the server is made of (a cluster's instances, its load balancer…), by name; absent for one process. */
  sampleParts?(): Record<string, ProcSample>;
  /** Asks the server for a full garbage collection and gives it a moment to finish. */
  collectGarbage(): Promise<void>;
  /** SIGTERM, then SIGKILL after 10 s; resolves once the process is gone. Keeps the data dir. */
  stop(): Promise<void>;
}

/** A data directory shared by server runs (a restart keeps it); removed by the cleanup. */
export function createDataDir(cleanup: Cleanup, kind: ServerKind): string {
  const dir = mkdtempSync(join(tmpdir(), `polyphony-bench-${kind}-`));
  cleanup.emergency(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Storage for `kind`: a new data directory, and for the PostgreSQL kinds a fresh database on `postgres`. */
export async function createStorage(cleanup: Cleanup, kind: ServerKind, postgres: PostgresCluster | undefined): Promise<BenchStorage> {
  const dataDir = createDataDir(cleanup, kind);
  if (!POSTGRES_KINDS.includes(kind)) return { dataDir, databaseUrl: undefined };
  if (!postgres) throw new Error(`${kind} needs the bench's PostgreSQL, which was not started`);
  return { dataDir, databaseUrl: await postgres.createDatabase(kind) };
}

export function createBenchSigner(): { signer: TicketSigner; secretHex: string } {
  const secret = crypto.getRandomValues(new Uint8Array(32));
  return { signer: createTicketSigner(secret), secretHex: Buffer.from(secret).toString('hex') };
}

export async function startBenchServer(
  kind: ServerKind,
  cleanup: Cleanup,
  options: {
    storage: BenchStorage;
    signer: { signer: TicketSigner; secretHex: string };
    postgres?: PostgresCluster | undefined;
    /** Another entry than the kind's own (bench/cluster's Hocuspocus with Redis speaks Hocuspocus' protocol). */
    entry?: string;
    /** More environment for the child (a cluster instance's REDIS_URL, its instance id). */
    env?: Record<string, string>;
  },
): Promise<BenchServer> {
  // e.g. BENCH_SERVER_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" to profile the servers under load.
  const nodeArgs = (process.env['BENCH_SERVER_NODE_ARGS'] ?? '').split(' ').filter(Boolean);
  // DATABASE_URL only for a PostgreSQL kind: one in the bench's own environment must not move the SQLite columns.
  const env = { ...process.env };
  delete env['DATABASE_URL'];
  const database = options.storage.databaseUrl === undefined ? {} : { DATABASE_URL: options.storage.databaseUrl };
  const child = spawn(process.execPath, ['--expose-gc', ...nodeArgs, options.entry ?? ENTRY[kind]], {
    cwd: ROOT,
    env: { ...env, ...options.env, ...database, [ENV_DATA_DIR]: options.storage.dataDir, [ENV_TICKET_SECRET]: options.signer.secretHex, LOG_LEVEL: 'silent', NODE_ENV: 'production' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error(`could not start the ${kind} server`);
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const unregisterKill = cleanup.emergency(() => void child.kill('SIGKILL'));
  const stderrTail: string[] = [];
  createInterface({ input: child.stderr }).on('line', (line) => {
    stderrTail.push(line);
    if (stderrTail.length > 40) stderrTail.shift();
  });

  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
      await exited;
      clearTimeout(timer);
    }
    child.stdin.destroy();
    unregisterKill();
  };
  const unregisterStop = cleanup.add(stop);

  let port: number;
  try {
    port = await waitForReady(kind, child.stdout, exited, stderrTail);
  } catch (error) {
    await stop();
    unregisterStop();
    throw error;
  }
  child.once('exit', (code, signal) => {
    if (code !== 0 && signal !== 'SIGTERM' && signal !== 'SIGKILL') {
      process.stderr.write(`bench: ${kind} server exited (code ${code}, signal ${signal}):\n${stderrTail.join('\n')}\n`);
    }
  });

  return {
    kind,
    pid,
    port,
    storage: options.storage,
    ticket: (docName, subject = `bench:${crypto.randomUUID()}`) => options.signer.signer.sign({ docName, mode: 'read-write', subject, expiresAt: Date.now() + 3_600_000 }),
    sample: () => sampleProc(pid),
    sampleDatabase: () => (options.storage.databaseUrl !== undefined && options.postgres ? options.postgres.sample() : null),
    async collectGarbage() {
      child.kill('SIGUSR2');
      await new Promise((done) => setTimeout(done, 300));
    },
    async stop() {
      unregisterStop();
      await stop();
    },
  };
}

function waitForReady(kind: ServerKind, stdout: NodeJS.ReadableStream, exited: Promise<void>, stderrTail: string[]): Promise<number> {
  return new Promise((done, fail) => {
    const timer = setTimeout(() => fail(new Error(`${kind} server not ready after ${READY_TIMEOUT_MS} ms`)), READY_TIMEOUT_MS);
    createInterface({ input: stdout }).on('line', (line) => {
      const port = parseReadyLine(line);
      if (port === undefined) return;
      clearTimeout(timer);
      done(port);
    });
    void exited.then(() => {
      clearTimeout(timer);
      fail(new Error(`${kind} server exited before it was ready:\n${stderrTail.join('\n')}`));
    });
  });
}
