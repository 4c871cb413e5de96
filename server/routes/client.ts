import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Hono } from 'hono';
import { serveStatic } from '@hono/node-server/serve-static';

/**
 * Serves the built single-page client: files as they are, and index.html for every other path so that
 * a join link such as /m/<id> opens the app. Hashed assets are cached for a year; index.html never is.
 */
export function clientRoutes(clientDir: string): Hono {
  const app = new Hono();
  app.use(
    '/assets/*',
    serveStatic({
      root: clientDir,
      onFound: (_path, c) => void c.header('Cache-Control', 'public, max-age=31536000, immutable'),
    }),
  );
  app.use('*', serveStatic({ root: clientDir }));
  app.get('*', async (c) => {
    c.header('Cache-Control', 'no-store');
    return c.html(await readFile(join(clientDir, 'index.html'), 'utf8'));
  });
  return app;
}
