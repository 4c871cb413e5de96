import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { engineFor } from './testStores.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const run = promisify(execFile);

/**
 * Runs the ops CLI (`node server/cli/main.ts … --json`) on a data dir (and its PostgreSQL database when the
 * tests run on PostgreSQL) and parses its one JSON answer.
 */
export async function cli(dataDir: string, args: string[], stdin?: string): Promise<Record<string, unknown>> {
  const { env } = await engineFor(dataDir);
  const child = run(process.execPath, ['server/cli/main.ts', ...args, '--json'], {
    cwd: ROOT,
    env: { ...process.env, DATA_DIR: dataDir, ...env },
  });
  if (stdin !== undefined) {
    child.child.stdin?.end(stdin);
  }
  try {
    const { stdout } = await child;
    return JSON.parse(stdout) as Record<string, unknown>;
  } catch (error) {
    const stdout = (error as { stdout?: string }).stdout ?? '';
    if (stdout.trim()) return JSON.parse(stdout) as Record<string, unknown>;
    throw error;
  }
}

/** The id field of a CLI answer, or a clear failure showing the whole answer. */
export function idOf(answer: Record<string, unknown>): string {
  if (typeof answer['id'] !== 'string') throw new Error(`CLI answered without an id: ${JSON.stringify(answer)}`);
  return answer['id'];
}
