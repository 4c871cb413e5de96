import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { secureHeaders } from 'hono/secure-headers';
import { MAX_JSON_BODY_BYTES } from '../shared/api/limits.ts';
import { ApiError } from './errors.ts';
import type { Logger } from './log.ts';
import { createErrorHandler, notFound } from './routes/errorHandler.ts';
import { meetingRoutes } from './routes/meetings.ts';
import { clientRoutes } from './routes/client.ts';
import type { MeetingService } from './services/meetings.ts';

export interface AppDeps {
  logger: Logger;
  meetings: MeetingService;
  /** Built client folder; omit to serve the API only (dev, where Vite serves the client). */
  clientDir?: string | undefined;
  /** Extra origins the page may connect to (the LiveKit signalling URL), for the CSP. */
  connectOrigins: () => string[];
}

/** Builds the Hono app from its parts. No I/O here: main.ts opens stores and listens. */
export function createApp(deps: AppDeps): Hono {
  const app = new Hono();
  app.use('*', securityHeaders(deps.connectOrigins));
  app.use('/api/*', bodyLimit({ maxSize: MAX_JSON_BODY_BYTES, onError: () => tooLarge() }));
  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  app.route('/api/meetings', meetingRoutes(deps.meetings));
  app.all('/api/*', notFound);
  if (deps.clientDir) app.route('/', clientRoutes(deps.clientDir));
  app.onError(createErrorHandler(deps.logger));
  return app;
}

function tooLarge(): never {
  throw new ApiError('payload_too_large', 'The request is too large.');
}

function securityHeaders(connectOrigins: () => string[]) {
  return secureHeaders({
    contentSecurityPolicy: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      // The editor positions remote cursors with inline style attributes; no inline <style> or script.
      styleSrc: ["'self'", "'unsafe-inline'"],
      imgSrc: ["'self'", 'data:', 'blob:'],
      mediaSrc: ["'self'", 'blob:', 'mediastream:'],
      connectSrc: ["'self'", () => connectOrigins().join(' ')],
      frameAncestors: ["'none'"],
      objectSrc: ["'none'"],
      baseUri: ["'self'"],
    },
    permissionsPolicy: { camera: ['self'], microphone: ['self'], displayCapture: ['self'] },
  });
}
