import { ApiError } from '../errors.ts';
import { cleanEnv, run, toolPath, type PgTool } from './runPgTool.ts';

/** "15.18" from `pg_dump (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)`; undefined when it says no version. */
export function parseToolVersion(output: string): string | undefined {
  return /\(PostgreSQL\)\s+(\d+(?:\.\d+){0,2})/.exec(output)?.[1];
}

/** The major version: the first number from 10 on, the first two before (9.6). */
export function majorOf(version: string): number {
  const [first = 0, second = 0] = version.split('.').map(Number);
  return first >= 10 ? first : first + second / 10;
}

/** `server_version_num` (150018) as a version string ("15.18"; 90624 is "9.6.24"). */
export function versionFromNum(num: number): string {
  const major = Math.floor(num / 10_000);
  if (major >= 10) return `${major}.${num % 10_000}`;
  return `${major}.${Math.floor(num / 100) % 100}.${num % 100}`;
}

/** The tool's version, or undefined when it is not there (or does not run). */
export async function toolVersion(tool: PgTool, env: NodeJS.ProcessEnv): Promise<string | undefined> {
  const ran = await run(toolPath(tool, env), ['--version'], cleanEnv(env)).catch(() => undefined);
  return ran && ran.status === 0 ? parseToolVersion(ran.stdout) : undefined;
}

/** What a tool must be at least as new as: the server it dumps, or the pg_dump that wrote an archive. */
export interface NeededVersion {
  version: string;
  /** "the PostgreSQL server", "the pg_dump that made this backup" */
  of: string;
}

/** Why a tool cannot do its work, and the fix; undefined when it can. */
export function toolProblem(tool: PgTool, version: string | undefined, needed: NeededVersion, env: NodeJS.ProcessEnv): { what: string; fix: string } | undefined {
  const major = majorOf(needed.version);
  const fix = `install PostgreSQL ${major}'s client programs (on Debian: apt-get install postgresql-client-${major}) or set PG_BIN to the folder of a ${tool} at least that new`;
  if (version === undefined) return { what: `${toolPath(tool, env)} was not found`, fix };
  if (majorOf(version) < major) return { what: `${tool} ${version} is older than ${needed.of} (${needed.version}) and may not read all of it`, fix };
  return undefined;
}

/** Refuses, before anything is written, a tool that is missing or older than what it is to work with. */
export async function requireTool(tool: PgTool, needed: NeededVersion, env: NodeJS.ProcessEnv): Promise<string> {
  const version = await toolVersion(tool, env);
  const problem = toolProblem(tool, version, needed, env);
  if (problem === undefined && version !== undefined) return version;
  throw new ApiError(version === undefined ? 'not_found' : 'conflict', `${problem?.what ?? tool}: ${problem?.fix ?? ''}. Nothing was written.`);
}
