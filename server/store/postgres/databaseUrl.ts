/**
 * Thrown for a DATABASE_URL that cannot name a PostgreSQL database. The message never repeats the URL: it
 * may hold a password. `source` names where the URL came from (`db copy` takes it as --to).
 */
export class DatabaseUrlError extends Error {
  constructor(reason: string, source = 'DATABASE_URL') {
    super(`${source} is not a usable PostgreSQL URL (${reason}); expected postgres://user:password@host:5432/database or postgres://user@localhost/database?host=/socket/dir.`);
    this.name = 'DatabaseUrlError';
  }
}

/**
 * Checks a DATABASE_URL before anything connects with it, so a typo gives one clear error instead of a
 * driver's guess (node-postgres reads a malformed URL as a host name and then times out). Returns it as given.
 */
export function validateDatabaseUrl(raw: string, source = 'DATABASE_URL'): string {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new DatabaseUrlError('it is not a URL', source);
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') throw new DatabaseUrlError(`the scheme is ${url.protocol.replace(/:$/, '')}, not postgres`, source);
  const socketDir = url.searchParams.get('host');
  if (!url.hostname && !socketDir) throw new DatabaseUrlError('it names no host', source);
  if (socketDir !== null && socketDir !== '' && !socketDir.startsWith('/')) throw new DatabaseUrlError('its host parameter is not an absolute socket directory', source);
  const database = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (!database || database.includes('/')) throw new DatabaseUrlError('it names no database (the path after the host)', source);
  if (url.port && !(Number(url.port) >= 1 && Number(url.port) <= 65535)) throw new DatabaseUrlError('its port is out of range', source);
  return raw.trim();
}
