import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

/** One built file and its sizes in bytes. */
export interface ChunkSize {
  file: string;
  bytes: number;
  gzipBytes: number;
  /** Loaded by dist/index.html itself (its module script or a modulepreload), i.e. on the first screen. */
  initial: boolean;
}

/**
 * Sizes of every JS and CSS file of a client build, gzipped as a server would send them (level 9), and
 * which of them the first screen loads: the module scripts and modulepreloads named in index.html.
 */
export function chunkSizes(distDir: string): ChunkSize[] {
  const html = readFileSync(join(distDir, 'index.html'), 'utf8');
  const initial = new Set<string>();
  for (const match of html.matchAll(/<(?:script[^>]*\bsrc|link[^>]*\brel="modulepreload"[^>]*\bhref)="\/?([^"]+\.js)"/g)) initial.add(match[1] ?? '');
  for (const match of html.matchAll(/<link[^>]*\bhref="\/?([^"]+\.js)"[^>]*\brel="modulepreload"/g)) initial.add(match[1] ?? '');
  for (const match of html.matchAll(/<link[^>]*\brel="stylesheet"[^>]*\bhref="\/?([^"]+\.css)"/g)) initial.add(match[1] ?? '');
  const assets = readdirSync(join(distDir, 'assets')).filter((file) => file.endsWith('.js') || file.endsWith('.css'));
  return assets
    .map((name) => {
      const file = `assets/${name}`;
      const content = readFileSync(join(distDir, file));
      return { file, bytes: content.length, gzipBytes: gzipSync(content, { level: 9 }).length, initial: initial.has(file) };
    })
    .sort((a, b) => Number(b.initial) - Number(a.initial) || b.gzipBytes - a.gzipBytes);
}

/** Total gzip bytes of the JS the first screen loads. */
export function initialJsGzipBytes(chunks: readonly ChunkSize[]): number {
  return chunks.filter((c) => c.initial && c.file.endsWith('.js')).reduce((sum, c) => sum + c.gzipBytes, 0);
}
