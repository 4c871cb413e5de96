import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

// The e2e project runs after `vite build`, so dist/ is the production client the server publishes.
const DIST = resolve(import.meta.dirname, '../../dist');

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? filesUnder(join(dir, entry.name)) : [join(dir, entry.name)]));
}

describe('the published client build (finding: source maps were public)', () => {
  it('contains no source maps and no reference to one', () => {
    const files = filesUnder(DIST);
    expect(files.some((file) => file.endsWith('.js'))).toBe(true);
    expect(files.filter((file) => file.endsWith('.map'))).toEqual([]);
    for (const file of files.filter((f) => /\.(js|css)$/.test(f))) expect(readFileSync(file, 'utf8'), file).not.toContain('sourceMappingURL');
  });
});
