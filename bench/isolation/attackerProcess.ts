import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import type { BenchServer } from '../sync/benchServer.ts';
import type { Cleanup } from '../sync/cleanup.ts';
import type { AttackerConfig } from './attacker.ts';

/** What the attacker reports when stopped. */
export interface AttackerStats {
  updates: number;
  presence: number;
  bytes: number;
  /** How often its connections were closed, by close code. */
  closes: Record<string, number>;
  connects: number;
}

export interface RunningAttacker {
  /** Stops it (SIGTERM) and resolves with what it did. */
  stop(): Promise<AttackerStats>;
}

const ENTRY = resolve(import.meta.dirname, 'attacker.ts');

/** Starts the attacker process against `docNames`, `perDoc` connections on each. */
export function startAttacker(server: BenchServer, cleanup: Cleanup, docNames: readonly string[], perDoc: number): RunningAttacker {
  const config: AttackerConfig = {
    url: `ws://127.0.0.1:${server.port}/sync`,
    // One person, as one invite link is: the server's per-person rates apply to all these connections together.
    connections: docNames.flatMap((docName) => Array.from({ length: perDoc }, () => ({ docName, ticket: server.ticket(docName, 'invite:attacker') }))),
  };
  const child = spawn(process.execPath, [ENTRY, JSON.stringify(config)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const unregister = cleanup.emergency(() => void child.kill('SIGKILL'));
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => void (stdout += chunk.toString('utf8')));
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  return {
    async stop() {
      child.kill('SIGTERM');
      await exited;
      unregister();
      return JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as AttackerStats;
    },
  };
}
