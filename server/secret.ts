import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** File name of the server secret inside DATA_DIR. */
export const SERVER_SECRET_FILE = 'server-secret' as const;

/**
 * The server's signing key, kept in DATA_DIR so that tickets and links stay valid across restarts.
 * Created on first start with owner-only permissions.
 */
export function loadOrCreateServerSecret(dataDir: string): Uint8Array {
  const file = join(dataDir, SERVER_SECRET_FILE);
  if (existsSync(file)) return new Uint8Array(readFileSync(file));
  const secret = randomBytes(32);
  writeFileSync(file, secret, { mode: 0o600, flag: 'wx' });
  return new Uint8Array(secret);
}
