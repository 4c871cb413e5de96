import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from '../store/privateDataDir.ts';

/** File name of the embedded LiveKit's key pair, inside its folder of DATA_DIR (`livekit/`). */
export const LIVEKIT_KEYS_FILE = 'keys.json' as const;

export interface LiveKitKeys {
  apiKey: string;
  apiSecret: string;
}

const API_KEY = /^API[0-9a-f]{16}$/;
const API_SECRET = /^[0-9a-f]{64}$/;

/**
 * The embedded LiveKit's key pair, kept so that it survives restarts: tokens people hold, and those LiveKit
 * refreshed for them, stay valid when the server or LiveKit comes back, so video can reconnect. Made on the
 * first start, owner-only. A file that is missing its pair or holds something else is replaced by a new
 * pair (the only cost: tokens minted before are refused once, and clients fetch new ones).
 */
export function loadOrCreateLiveKitKeys(dir: string): LiveKitKeys {
  const file = join(dir, LIVEKIT_KEYS_FILE);
  const kept = readKeys(file);
  if (kept) return kept;
  const keys = { apiKey: `API${randomBytes(8).toString('hex')}`, apiSecret: randomBytes(32).toString('hex') };
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  // Written aside and renamed, so that a crash mid-write never leaves half a key pair behind.
  const partial = `${file}.${process.pid}.tmp`;
  rmSync(partial, { force: true });
  writeFileSync(partial, `${JSON.stringify(keys)}\n`, { mode: PRIVATE_FILE_MODE, flag: 'wx' });
  renameSync(partial, file);
  return keys;
}

function readKeys(file: string): LiveKitKeys | undefined {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const apiKey: unknown = Reflect.get(value, 'apiKey');
  const apiSecret: unknown = Reflect.get(value, 'apiSecret');
  if (typeof apiKey !== 'string' || !API_KEY.test(apiKey) || typeof apiSecret !== 'string' || !API_SECRET.test(apiSecret)) return undefined;
  return { apiKey, apiSecret };
}
