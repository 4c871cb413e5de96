import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiError } from '../errors.ts';

/** PostgreSQL's client programs a backup and a restore run. */
export type PgTool = 'pg_dump' | 'pg_restore';

/** Where the tools are looked for: PG_BIN (e.g. /usr/lib/postgresql/16/bin) when set, else PATH. */
export function toolPath(tool: PgTool, env: NodeJS.ProcessEnv): string {
  const dir = env['PG_BIN']?.trim();
  return dir ? join(dir, tool) : tool;
}

/**
 * Runs pg_dump or pg_restore on the database at `databaseUrl`. The password never goes on the command line
 * (where `ps` shows it to every user): the child gets the URL without it, and the password in a passfile of
 * its own (0600, in a private folder, removed afterwards). A failure carries the tool's error lines (see
 * complaint), never the password.
 */
export async function runPgTool(tool: PgTool, args: readonly string[], databaseUrl: string, env: NodeJS.ProcessEnv): Promise<void> {
  const url = new URL(databaseUrl);
  const password = decodeURIComponent(url.password);
  url.password = '';
  const folder = password ? await mkdtemp(join(tmpdir(), 'polyphony-pgpass-')) : undefined;
  try {
    const childEnv = cleanEnv(env);
    if (folder) {
      const passfile = join(folder, 'pgpass');
      await writeFile(passfile, `*:*:*:*:${password.replace(/[\\:]/g, (c) => `\\${c}`)}\n`, { mode: 0o600, flag: 'wx' });
      childEnv['PGPASSFILE'] = passfile;
      // libpq prefers PGPASSWORD to the passfile: the URL's password must win, as it does for the server.
      delete childEnv['PGPASSWORD'];
    }
    const ran = await run(toolPath(tool, env), [...args, `--dbname=${url.toString()}`], childEnv);
    if (ran.status !== 0) throw new ApiError('internal', `${tool} failed (exit ${ran.status}): ${complaint(ran.stderr) || 'it said nothing'}`);
  } finally {
    if (folder) await rm(folder, { recursive: true, force: true });
  }
}

/**
 * The lines of a tool's stderr that say what went wrong (its own error lines and the server's ERROR and
 * HINT), without the statement it was running and the DETAIL and CONTEXT lines: those may quote rows (a
 * duplicate key's value, a COPY line), which are personal data. The last lines when there is no such line.
 */
export function complaint(stderr: string): string {
  const lines = stderr.trim().split('\n').map((line) => line.trim()).filter(Boolean);
  const errors = lines.filter((line) => /^(pg_dump|pg_restore): (error|fatal|hint):/i.test(line) || /^(ERROR|FATAL|HINT):/.test(line));
  return (errors.length > 0 ? errors : lines.slice(-3).filter((line) => !/^(pg_dump: |pg_restore: )?(CONTEXT|DETAIL|Command was)/i.test(line))).join(' ').slice(0, 800);
}

/** The environment without DATABASE_URL, which may hold the password. */
export function cleanEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const rest = { ...env };
  delete rest['DATABASE_URL'];
  return rest;
}

export interface Ran {
  status: number;
  stdout: string;
  stderr: string;
}

export function run(command: string, args: readonly string[], env: NodeJS.ProcessEnv): Promise<Ran> {
  return new Promise((done, fail) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => void (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => void (stderr = (stderr + chunk.toString('utf8')).slice(-16_384)));
    child.once('error', fail);
    child.once('close', (code, signal) => done({ status: code ?? (signal ? 128 : 1), stdout, stderr }));
  });
}
