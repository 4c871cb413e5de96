import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * The contract between the load generator and a bench server child: the child reads its data directory
 * and ticket secret from the environment, listens on 127.0.0.1 port 0, prints one ready line on stdout,
 * and ends on SIGTERM, or when its stdin closes (the generator died without cleaning up). It is started
 * with --expose-gc and runs a full garbage collection on SIGUSR2, so memory readings see live data only.
 */
export const SERVER_KINDS = ['polyphony', 'y-websocket-server', 'hocuspocus', 'polyphony-postgres', 'hocuspocus-postgres'] as const;
export type ServerKind = (typeof SERVER_KINDS)[number];

/** The kinds that store into PostgreSQL: the child gets `DATABASE_URL` (a database of its own), as Polyphony's server does. */
export const POSTGRES_KINDS: readonly ServerKind[] = ['polyphony-postgres', 'hocuspocus-postgres'];

/** The protocol a kind speaks, which is what clients need to know: Polyphony's (y-websocket on `/sync/<doc>`), y-websocket's, Hocuspocus's. */
export function protocolOf(kind: ServerKind): 'polyphony' | 'y-websocket' | 'hocuspocus' {
  if (kind === 'polyphony' || kind === 'polyphony-postgres') return 'polyphony';
  if (kind === 'hocuspocus' || kind === 'hocuspocus-postgres') return 'hocuspocus';
  return 'y-websocket';
}

export const ENV_DATA_DIR = 'BENCH_DATA_DIR';
export const ENV_TICKET_SECRET = 'BENCH_TICKET_SECRET';
const READY_EVENT = 'bench_server_ready';

export interface ChildConfig {
  dataDir: string;
  ticketSecret: Uint8Array;
  /** The PostgreSQL database to store into (the server's own `DATABASE_URL`); absent for the SQLite kinds. */
  databaseUrl: string | undefined;
}

export function readChildConfig(env: NodeJS.ProcessEnv = process.env): ChildConfig {
  const dataDir = env[ENV_DATA_DIR];
  const secretHex = env[ENV_TICKET_SECRET];
  if (!dataDir || !secretHex) throw new Error(`${ENV_DATA_DIR} and ${ENV_TICKET_SECRET} must be set`);
  return { dataDir, ticketSecret: Buffer.from(secretHex, 'hex'), databaseUrl: env['DATABASE_URL'] || undefined };
}

export function listenOnLoopback(server: Server): Promise<number> {
  return new Promise((done, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => done((server.address() as AddressInfo).port));
  });
}

export function announceReady(port: number): void {
  process.stdout.write(`${JSON.stringify({ event: READY_EVENT, port, pid: process.pid })}\n`);
}

/** The port from a ready line, or undefined for any other line. */
export function parseReadyLine(line: string): number | undefined {
  try {
    const value: unknown = JSON.parse(line);
    if (typeof value === 'object' && value !== null && 'event' in value && value.event === READY_EVENT && 'port' in value) {
      return typeof value.port === 'number' ? value.port : undefined;
    }
  } catch {
    // Not our line.
  }
  return undefined;
}

/**
 * Runs `stop` once on SIGTERM/SIGINT or when the parent goes away, then exits; a stuck stop is cut at 10 s.
 * Collects garbage on SIGUSR2.
 */
export function handleParentRequests(stop: () => Promise<void>): void {
  process.on('SIGUSR2', () => globalThis.gc?.());
  let stopping = false;
  const end = (): void => {
    if (stopping) return;
    stopping = true;
    setTimeout(() => process.exit(1), 10_000).unref();
    stop().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`stop failed: ${String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', end);
  process.on('SIGINT', end);
  process.stdin.on('end', end);
  process.stdin.on('error', end);
  process.stdin.resume();
}
