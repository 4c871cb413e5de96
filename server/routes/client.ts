import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Hono, type MiddlewareHandler } from 'hono';
import { serveStatic } from '@hono/node-server/serve-static';
import { servePrecompressed } from './precompressedFile.ts';

/**
 * Serves the built single-page client: files as they are, and index.html for every other path so that
 * a join link such as /m/<id> opens the app. Hashed assets are cached for a year; index.html never is,
 * however it is asked for (`/`, `/index.html` or any app path), so a new build reaches everyone at once.
 * Text files go out in the build's brotli or gzip form when the browser takes it (see precompressedFile).
 */
export function clientRoutes(clientDir: string): Hono {
  const app = new Hono();
  app.use('*', cachePolicy());
  app.use('*', servePrecompressed(clientDir, requestedFile));
  app.use('/assets/*', serveStatic({ root: clientDir }));
  app.use('*', serveStatic({ root: clientDir }));
  app.get('*', servePrecompressed(clientDir, () => 'index.html'), async (c) => c.html(await readFile(join(clientDir, 'index.html'), 'utf8')));
  return app;
}

/** The file a path names, relative to the client's root; `/` is the app page. */
function requestedFile(path: string): string {
  return path === '/' ? 'index.html' : path.slice(1);
}

/**
 * Set on the finished answer: serveStatic's `onFound` runs after its response is made, too late for a
 * header to reach it.
 */
function cachePolicy(): MiddlewareHandler {
  return async (c, next) => {
    await next();
    if (c.res.status !== 200) return;
    // HTML first: a missing asset falls through to index.html, which must not be kept for a year.
    if (c.res.headers.get('content-type')?.startsWith('text/html')) c.res.headers.set('Cache-Control', 'no-store');
    else if (c.req.path.startsWith('/assets/')) c.res.headers.set('Cache-Control', 'public, max-age=31536000, immutable');
  };
}
