import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LIVEKIT_KEYS_FILE, loadOrCreateLiveKitKeys } from './liveKitKeys.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'polyphony-lk-keys-'));
  dirs.push(dir);
  return dir;
}

describe('the embedded LiveKit key pair', () => {
  it('is made once, owner-only, and the same pair is read back on every later start', () => {
    const dir = join(tempDir(), 'livekit');
    const first = loadOrCreateLiveKitKeys(dir);
    expect(first.apiKey).toMatch(/^API[0-9a-f]{16}$/);
    expect(first.apiSecret).toMatch(/^[0-9a-f]{64}$/);
    expect(statSync(join(dir, LIVEKIT_KEYS_FILE)).mode & 0o777).toBe(0o600);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(loadOrCreateLiveKitKeys(dir)).toEqual(first);
  });

  it('replaces a file that does not hold a valid pair, rather than handing LiveKit a broken key', () => {
    const dir = tempDir();
    for (const text of ['', 'not json', '{"apiKey":"API0123456789abcdef"}', '{"apiKey":"x","apiSecret":"y"}', 'null']) {
      writeFileSync(join(dir, LIVEKIT_KEYS_FILE), text);
      const keys = loadOrCreateLiveKitKeys(dir);
      expect(keys.apiSecret).toMatch(/^[0-9a-f]{64}$/);
      expect(JSON.parse(readFileSync(join(dir, LIVEKIT_KEYS_FILE), 'utf8'))).toEqual(keys);
    }
  });
});
