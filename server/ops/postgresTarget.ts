import pg from 'pg';
import { ApiError } from '../errors.ts';
import { DatabaseUrlError, validateDatabaseUrl } from '../store/postgres/databaseUrl.ts';
import { versionFromNum } from './pgToolVersion.ts';

/** A connection to DATABASE_URL's database for a backup or a restore, and the server's version. */
export interface PostgresConnection {
  url: string;
  client: pg.Client;
  serverVersion: string;
  /** The URL without its password, to report. */
  shown: string;
}

/**
 * Connects to DATABASE_URL's database. A malformed URL is a bad_request, an unreachable server an internal
 * error, each saying that nothing was written, and neither repeating the URL's password.
 */
export async function connectPostgres(databaseUrl: string): Promise<PostgresConnection> {
  let url: string;
  try {
    url = validateDatabaseUrl(databaseUrl);
  } catch (error) {
    if (error instanceof DatabaseUrlError) throw new ApiError('bad_request', error.message);
    throw error;
  }
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  // A connection the server drops must become the rejected query, not an unhandled 'error' event.
  client.on('error', () => {});
  try {
    await client.connect();
  } catch (error) {
    const code = error instanceof Error && 'code' in error && typeof error.code === 'string' ? `${error.code}: ` : '';
    const detail = error instanceof Error ? error.message : String(error);
    throw new ApiError('internal', `Could not connect to the PostgreSQL database named by DATABASE_URL (${code}${detail}); nothing was written.`);
  }
  try {
    const shown = new URL(url);
    shown.password = '';
    return { url, client, serverVersion: await serverVersionOf(client), shown: shown.toString() };
  } catch (error) {
    await client.end().catch(() => {});
    throw error;
  }
}

/** The connected server's version ("15.18"). */
export async function serverVersionOf(client: pg.Client): Promise<string> {
  const num = await client.query<{ server_version_num: string }>('SHOW server_version_num');
  return versionFromNum(Number(num.rows[0]?.server_version_num));
}
