import { accessSync, constants, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';

const BINARY_NAME = 'livekit-server';

/**
 * The LiveKit server binary to run, looked up like scripts/ensure-livekit-server.sh does:
 * `LIVEKIT_SERVER_BIN`, then `livekit-server` on `PATH`, then the cached build in
 * `${POLYPHONY_CACHE:-~/.cache/polyphony}/bin`. Never builds one (that takes minutes and needs Go): when
 * this returns undefined, the app runs without video and tells people to run `npm run livekit:ensure`.
 */
export function findLiveKitBinary(env: NodeJS.ProcessEnv): string | undefined {
  const explicit = env['LIVEKIT_SERVER_BIN'];
  if (explicit && isExecutableFile(explicit)) return resolve(explicit);
  for (const dir of (env['PATH'] ?? '').split(delimiter)) {
    // An empty entry means the working directory: running whatever binary happens to lie there would
    // be a surprise, so it is skipped.
    if (dir === '') continue;
    const candidate = join(dir, BINARY_NAME);
    if (isExecutableFile(candidate)) return resolve(candidate);
  }
  const cached = join(env['POLYPHONY_CACHE'] ?? join(env['HOME'] ?? homedir(), '.cache', 'polyphony'), 'bin', BINARY_NAME);
  return isExecutableFile(cached) ? resolve(cached) : undefined;
}

function isExecutableFile(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
