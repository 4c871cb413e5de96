import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../..');

/**
 * The installed version of a package, read from node_modules (some packages do not export their
 * package.json, so `require.resolve` cannot reach it). 'unknown' when it cannot be read.
 */
export function installedVersion(name: string): string {
  try {
    const manifest: unknown = JSON.parse(readFileSync(join(ROOT, 'node_modules', name, 'package.json'), 'utf8'));
    if (typeof manifest === 'object' && manifest !== null && 'version' in manifest && typeof manifest.version === 'string') return manifest.version;
  } catch {
    // Reported as unknown.
  }
  return 'unknown';
}
