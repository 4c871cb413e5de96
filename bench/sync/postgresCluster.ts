import { execFile, execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import type { Cleanup } from './cleanup.ts';
import { reapedChildrenCpuSeconds, sampleProc, type ProcSample } from './procStats.ts';

const run = promisify(execFile);
const SCRIPT = resolve(import.meta.dirname, '../../scripts/postgres.sh');

/**
 * The PostgreSQL server of the PostgreSQL columns: the project's throw-away PostgreSQL 15 (scripts/postgres.sh:
 * Unix socket only, fsync, full_page_writes and synchronous_commit on), on this machine like the servers under
 * test. Each server run gets a fresh database of its own; the cluster and its directory go at the end.
 */
export interface PostgresCluster {
  /** PostgreSQL's version, for the report. */
  readonly version: string;
  /** A new, empty database; returns its URL. */
  createDatabase(prefix: string): Promise<string>;
  /** CPU time of every PostgreSQL process (the postmaster, its backends and helpers), RSS of the postmaster only. */
  sample(): ProcSample;
  /** Writes every dirty page out now (CHECKPOINT), which also restarts the timer of the next timed checkpoint. */
  checkpoint(): Promise<void>;
}

export async function startPostgresCluster(cleanup: Cleanup): Promise<PostgresCluster> {
  const { stdout } = await run('bash', [SCRIPT, 'start', '--owner-pid', String(process.pid)], { encoding: 'utf8' });
  const adminUrl = exported(stdout, 'DATABASE_URL');
  const dir = exported(stdout, 'POLYPHONY_POSTGRES_DIR');
  // Synchronous, so that it also runs on a crash or Ctrl-C; the watcher started with --owner-pid is the last resort.
  cleanup.emergency(() => void execFileSync('bash', [SCRIPT, 'stop', dir], { stdio: 'ignore' }));
  const unregister = cleanup.add(async () => {
    await run('bash', [SCRIPT, 'stop', dir]);
  });
  try {
    const shown = (await adminQuery(adminUrl, 'SHOW server_version'))[0]?.['server_version'];
    const version = typeof shown === 'string' ? shown : 'unknown';
    const postmasterPid = Number(readFileSync(join(dir, 'data', 'postmaster.pid'), 'utf8').split('\n')[0]);
    return {
      version,
      async createDatabase(prefix) {
        const name = `${prefix.replace(/[^a-z0-9]/g, '_')}_${crypto.randomUUID().slice(0, 8)}`;
        // Not dropped one by one: the whole cluster goes at the end.
        await adminQuery(adminUrl, `CREATE DATABASE ${name}`);
        return databaseUrlFor(adminUrl, name);
      },
      sample: () => sampleTree(postmasterPid),
      checkpoint: async () => void (await adminQuery(adminUrl, 'CHECKPOINT')),
    };
  } catch (error) {
    unregister();
    await run('bash', [SCRIPT, 'stop', dir]);
    throw error;
  }
}

/**
 * The postmaster and its children (backends, WAL writer, checkpointer…): CPU summed, including backends that
 * ended since (reaped by the postmaster), so that the sum never drops; the postmaster's RSS.
 */
function sampleTree(postmasterPid: number): ProcSample {
  const root = sampleProc(postmasterPid);
  let cpuSeconds = root.cpuSeconds + reapedChildrenCpuSeconds(postmasterPid);
  for (const pid of childPids(postmasterPid)) {
    try {
      cpuSeconds += sampleProc(pid).cpuSeconds;
    } catch {
      // A backend that ended meanwhile.
    }
  }
  return { ...root, cpuSeconds };
}

function childPids(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

async function adminQuery(adminUrl: string, text: string): Promise<Record<string, unknown>[]> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return (await client.query<Record<string, unknown>>(text)).rows;
  } finally {
    await client.end();
  }
}

function exported(output: string, name: string): string {
  const match = new RegExp(`^export ${name}='([^']*)'$`, 'm').exec(output);
  if (!match?.[1]) throw new Error(`scripts/postgres.sh start printed no ${name}`);
  return match[1];
}

function databaseUrlFor(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}
