import pg from 'pg';
import { unknownSchemaVersions } from '../store/database.ts';
import { appliedPostgresVersions, KNOWN_POSTGRES_SCHEMA_VERSIONS } from '../store/postgres/database.ts';
import { judgeClock, newestOf, STAMPS, type DatabaseTimes } from './doctorClock.ts';
import { failed, passed, type DoctorCheck } from './doctor.ts';
import { toolProblem, toolVersion } from './pgToolVersion.ts';
import { serverVersionOf } from './postgresTarget.ts';

/** What `polyphony doctor` checks on PostgreSQL: the clock's check stands where SQLite's would. */
export interface PostgresChecks {
  checks: DoctorCheck[];
  clock: DoctorCheck;
}

/**
 * With DATABASE_URL: the database answers and its schema is this release's (the SQLite check's counterpart),
 * pg_dump is there and at least as new as the server, or `polyphony backup` would fail on the night it
 * is needed, and this machine's clock agrees with PostgreSQL's and is not behind the times the database
 * holds. Read only: nothing is created or migrated.
 */
export async function checkPostgres(databaseUrl: string, env: NodeJS.ProcessEnv, timeoutMs: number, now: () => Date): Promise<PostgresChecks> {
  const client = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: timeoutMs });
  client.on('error', () => {});
  let server: { version: string; applied: number[] } | undefined;
  let times: DatabaseTimes | undefined;
  let reason = '';
  try {
    await client.connect();
    server = { version: await serverVersionOf(client), applied: await appliedPostgresVersions(client) };
    times = await readDatabaseTimes(client, now);
  } catch (error) {
    reason = error instanceof Error ? error.message : String(error);
  } finally {
    await client.end().catch(() => {});
  }
  return { checks: [databaseCheck(server, reason), await pgDumpCheck(server?.version, env)], clock: judgeClock(now(), times) };
}

/** PostgreSQL's clock against this machine's (after the queries above: the connection is warm), and the newest stamp. */
async function readDatabaseTimes(client: pg.Client, now: () => Date): Promise<DatabaseTimes> {
  const before = now().getTime();
  const clock = await client.query<{ ms: number }>('SELECT extract(epoch FROM clock_timestamp())::float8 * 1000 AS ms');
  const after = now().getTime();
  const databaseMs = clock.rows[0]?.ms;
  if (typeof databaseMs !== 'number') throw new Error('PostgreSQL did not say its time');
  const present = await client.query<{ table_name: string; column_name: string }>(
    'SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema()',
  );
  const has = new Set(present.rows.map((row) => `${row.table_name}.${row.column_name}`));
  const values: unknown[] = [];
  for (const [table, column] of STAMPS) {
    if (!has.has(`${table}.${column}`)) continue;
    const max = await client.query<{ newest: unknown }>(`SELECT MAX(${client.escapeIdentifier(column)}) AS newest FROM ${client.escapeIdentifier(table)}`);
    values.push(max.rows[0]?.newest);
  }
  return { newest: newestOf(values), skew: { ms: databaseMs - (before + after) / 2, uncertaintyMs: (after - before) / 2 } };
}

function databaseCheck(server: { version: string; applied: number[] } | undefined, reason: string): DoctorCheck {
  if (!server) {
    return failed('database', `The PostgreSQL database named by DATABASE_URL does not answer: ${reason}.`, 'Start PostgreSQL or correct DATABASE_URL (host, port, database, user and password) so that this machine can connect.');
  }
  const { version, applied } = server;
  if (applied.length === 0) return passed('database', `PostgreSQL ${version} answers; the database holds no schema yet: the server creates it on its first start.`);
  const newer = unknownSchemaVersions(applied, KNOWN_POSTGRES_SCHEMA_VERSIONS);
  if (newer.length > 0) {
    return failed('database', `The database has schema versions ${newer.join(', ')}, which this release does not know: a newer release wrote it.`, 'Run the newer release that wrote this database, or restore a backup made by this release into a new, empty one.');
  }
  const missing = KNOWN_POSTGRES_SCHEMA_VERSIONS.filter((v) => !applied.includes(v));
  if (missing.length > 0) return failed('database', `The database lacks schema versions ${missing.join(', ')} of this release.`, "Start this release's server once: it applies the missing migrations at start.");
  return passed('database', `PostgreSQL ${version} answers and the schema is current (versions ${applied.join(', ')}).`);
}

async function pgDumpCheck(serverVersion: string | undefined, env: NodeJS.ProcessEnv): Promise<DoctorCheck> {
  const version = await toolVersion('pg_dump', env);
  if (serverVersion === undefined) {
    if (version === undefined) return failed('pg_dump', 'pg_dump, which `polyphony backup` runs, was not found.', 'Install PostgreSQL\'s client programs (on Debian: apt-get install postgresql-client) or set PG_BIN to their folder.');
    return passed('pg_dump', `pg_dump ${version} is there; whether it is as new as the server could not be checked (see the database check).`);
  }
  const problem = toolProblem('pg_dump', version, { version: serverVersion, of: 'the PostgreSQL server' }, env);
  if (problem !== undefined) {
    return failed('pg_dump', `${problem.what}, so \`polyphony backup\` would fail.`, `${problem.fix.charAt(0).toUpperCase()}${problem.fix.slice(1)}.`);
  }
  return passed('pg_dump', `pg_dump ${version} is there for backups and as new as the server (${serverVersion}).`);
}
