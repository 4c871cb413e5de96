import { chmodSync, closeSync, existsSync, lstatSync, mkdirSync, openSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** Mode of DATA_DIR and of every folder in it: only the server's own user may list or enter it. */
export const PRIVATE_DIR_MODE = 0o700;
/** Mode of every file in DATA_DIR: the database, its -wal and -shm, the server secret, LiveKit's config. */
export const PRIVATE_FILE_MODE = 0o600;
/** The process umask that makes every file the process creates owner-only (set first thing in main.ts and the CLI). */
export const PRIVATE_UMASK = 0o077;

/**
 * Makes DATA_DIR owner-only: creates it if needed, then corrects what an older version (or a copy, or a
 * restore) left readable by others. Symbolic links are left alone rather than followed: what they point at
 * is not ours to change.
 *
 * The database file itself is created here with owner-only permissions when it does not exist yet, because
 * SQLite gives its -wal and -shm files the permissions of the database file, whatever the umask.
 */
export function securePrivateDataDir(dataDir: string, databaseFile?: string): void {
  mkdirSync(dataDir, { recursive: true, mode: PRIVATE_DIR_MODE });
  restrict(dataDir);
  if (databaseFile !== undefined) createOwnerOnly(join(dataDir, databaseFile));
}

function restrict(dir: string): void {
  chmodSync(dir, PRIVATE_DIR_MODE);
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const stat = lstatSync(path, { throwIfNoEntry: false });
    if (stat?.isDirectory()) restrict(path);
    else if (stat?.isFile() && (stat.mode & 0o777) !== PRIVATE_FILE_MODE) chmodSync(path, PRIVATE_FILE_MODE);
  }
}

function createOwnerOnly(file: string): void {
  if (existsSync(file)) return;
  // An empty file is a valid new SQLite database; 'a' leaves one made meanwhile by another process intact.
  closeSync(openSync(file, 'a', PRIVATE_FILE_MODE));
  chmodSync(file, PRIVATE_FILE_MODE);
}
