import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Context, MiddlewareHandler } from 'hono';
import { getMimeType } from 'hono/utils/mime';
import { acceptedEncodings, PRECOMPRESSED, type Precompressed } from './acceptEncoding.ts';

/**
 * Only plain names in the client's root or in assets/: anything else (dot segments, encoded characters,
 * nested folders) is left to serveStatic's own checks, which send the plain file or nothing.
 */
const SERVABLE_PATH = /^(?:assets\/)?[A-Za-z0-9_][\w.-]*$/;
const COMPRESSIBLE_TYPE = /^(?:text\/|application\/(?:json|manifest\+json)|image\/svg\+xml)/;

/** Sends the compressed form of the file a request path names (see precompressedFile), else passes on. */
export function servePrecompressed(clientDir: string, fileFor: (requestPath: string) => string): MiddlewareHandler {
  return async (c, next) => (await precompressedFile(c, clientDir, fileFor(c.req.path))) ?? next();
}

/**
 * Answers with the build's compressed form of a client file (`.br`, else `.gz`) when the request accepts it,
 * or undefined so the caller sends the plain file. A range request is never answered compressed: ranges
 * are counted in the plain file's bytes, which only the plain answer can give. Every answer for a
 * compressible file says it varies with Accept-Encoding, so a cache never hands one client another's form.
 */
export async function precompressedFile(c: Context, clientDir: string, relativePath: string): Promise<Response | undefined> {
  if (c.req.method !== 'GET' && c.req.method !== 'HEAD') return undefined;
  if (!SERVABLE_PATH.test(relativePath)) return undefined;
  const contentType = getMimeType(relativePath);
  if (!contentType || !COMPRESSIBLE_TYPE.test(contentType)) return undefined;
  const path = join(clientDir, relativePath);
  if (!(await isFile(path))) return undefined;
  c.header('Vary', 'Accept-Encoding', { append: true });
  if (c.req.header('Range') !== undefined) return undefined;
  const chosen = await firstAvailable(path, acceptedEncodings(c.req.header('Accept-Encoding')));
  if (!chosen) return undefined;
  const file = `${path}${chosen.form.suffix}`;
  c.header('Content-Type', contentType);
  c.header('Content-Encoding', chosen.form.encoding);
  c.header('Content-Length', String(chosen.size));
  c.header('Last-Modified', chosen.mtime.toUTCString());
  if (c.req.method === 'HEAD') return c.body(null, 200);
  return c.body(await readFile(file), 200);
}

async function firstAvailable(path: string, accepted: Set<string>): Promise<{ form: Precompressed; size: number; mtime: Date } | undefined> {
  for (const form of PRECOMPRESSED) {
    if (!accepted.has(form.encoding)) continue;
    const stats = await stat(`${path}${form.suffix}`).catch(() => undefined);
    if (stats?.isFile()) return { form, size: stats.size, mtime: stats.mtime };
  }
  return undefined;
}

async function isFile(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined))?.isFile() ?? false;
}
