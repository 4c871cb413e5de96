import type { ServerKind } from '../../servers/childProcess.ts';
import type { BenchServer, BenchStorage } from '../benchServer.ts';
import type { Cleanup } from '../cleanup.ts';
import type { BenchOptions } from '../options.ts';

/** What every scenario gets from the runner. */
export interface ScenarioContext {
  options: BenchOptions;
  cleanup: Cleanup;
  log(message: string): void;
  /** New storage for `kind` (a temp data dir, and a fresh database for the PostgreSQL kinds), removed when the run ends. */
  storage(kind: ServerKind): Promise<BenchStorage>;
  /** Starts `kind` on `storage` (new storage when omitted); stop it when done (the cleanup also does). */
  startServer(kind: ServerKind, storage?: BenchStorage): Promise<BenchServer>;
  /** Before each measured step: nothing earlier steps wrote is still waiting to reach the disk (see settleDisk). */
  settle(): Promise<void>;
}

/** A document name no earlier phase used, so every phase starts from an unloaded, empty document. */
export function freshDocName(prefix: string): string {
  return `${prefix}-${crypto.randomUUID().slice(0, 8)}`;
}

/**
 * Starts one server of each kind, runs `work` with all of them, and stops them all. Scenarios take turns
 * between the servers step by step, so that whatever else the machine is doing meanwhile falls on all of
 * them alike rather than on whichever happened to run during a busy minute.
 */
export async function withServers<T>(context: ScenarioContext, kinds: readonly ServerKind[], work: (servers: BenchServer[]) => Promise<T>): Promise<T> {
  const servers: BenchServer[] = [];
  try {
    for (const kind of kinds) servers.push(await context.startServer(kind));
    return await work(servers);
  } finally {
    for (const server of servers) await server.stop();
  }
}

/** `items` starting at position `round` (mod length), so no server always goes first. */
export function rotated<T>(items: readonly T[], round: number): T[] {
  const start = items.length === 0 ? 0 : round % items.length;
  return [...items.slice(start), ...items.slice(0, start)];
}
