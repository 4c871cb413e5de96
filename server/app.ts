import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { secureHeaders } from 'hono/secure-headers';
import { MAX_JSON_BODY_BYTES } from '../shared/api/limits.ts';
import { ApiError } from './errors.ts';
import type { MediaStateHolder } from './livekit/mediaState.ts';
import { errorFields, type Logger } from './log.ts';
import { auditRoutes } from './routes/audit.ts';
import { authRoutes } from './routes/auth.ts';
import { clientRoutes } from './routes/client.ts';
import { createClientAddress } from './routes/clientAddress.ts';
import { csrfGuard } from './routes/csrfGuard.ts';
import type { AppEnv } from './routes/env.ts';
import { createErrorHandler, notFound } from './routes/errorHandler.ts';
import { inviteRoutes } from './routes/invites.ts';
import { livekitWebhookRoutes } from './routes/livekitWebhook.ts';
import { mediaConnectSources } from './routes/mediaConnectSources.ts';
import { meetingRoutes } from './routes/meetings.ts';
import { notesHistoryRoutes } from './routes/notesHistory.ts';
import { networkRoutes } from './routes/networks.ts';
import { noStore } from './routes/noStore.ts';
import { principalMiddleware } from './routes/principalMiddleware.ts';
import { recordRoutes } from './routes/records.ts';
import { rtcValidateRoutes } from './routes/rtcValidate.ts';
import { userRoutes } from './routes/users.ts';
import type { LoginThrottle } from './services/loginThrottle.ts';
import type { Services } from './services/createServices.ts';
import type { Stores } from './store/stores.ts';

export interface AppDeps {
  logger: Logger;
  services: Services;
  stores: Stores;
  media: MediaStateHolder;
  /** Built client folder; omit to serve the API only (dev, where Vite serves the client). */
  clientDir?: string | undefined;
  publicUrl: string | undefined;
  /** TRUSTED_PROXIES (config.trustedProxies): whose X-Forwarded-For gives the client address. None if omitted. */
  trustedProxies?: readonly string[] | undefined;
  /** Login throttling; the services' own (counted in the store) if omitted. */
  loginThrottle?: LoginThrottle | undefined;
  /** Throws or rejects when the server cannot serve (the database does not answer); /healthz then says 503. */
  checkHealth: () => void | Promise<void>;
  /** Extra routes mounted at the root, such as /metrics. */
  extra?: (app: Hono<AppEnv>) => void;
  /**
   * This process' name among the instances sharing the store (a random id, new at each start), sent as
   * `X-Polyphony-Instance` on every response: which instance behind the load balancer answered a request.
   */
  instance?: string | undefined;
}

/** The response header naming the instance that answered (AppDeps.instance). */
export const INSTANCE_HEADER = 'X-Polyphony-Instance';

/** Builds the Hono app from its parts. No I/O here: main.ts opens stores and listens. */
export function createApp(deps: AppDeps): Hono<AppEnv> {
  const { services } = deps;
  const app = new Hono<AppEnv>();
  const { instance } = deps;
  if (instance !== undefined) {
    app.use('*', async (c, next) => {
      await next();
      c.header(INSTANCE_HEADER, instance);
    });
  }
  app.use('*', securityHeaders(() => mediaConnectSources(deps.media.get())));
  app.use('/api/*', noStore());
  app.use('/api/*', bodyLimit({ maxSize: MAX_JSON_BODY_BYTES, onError: () => tooLarge() }));
  app.get('/healthz', async (c) => {
    try {
      await deps.checkHealth();
      return c.json({ status: 'ok' });
    } catch (error) {
      deps.logger.error('health_check_failed', errorFields(error));
      return c.json({ status: 'unavailable' }, 503);
    }
  });
  // Signed by LiveKit, not a browser: it comes before the CSRF guard and the principal lookup.
  app.route('/api/livekit/webhook', livekitWebhookRoutes(deps.media, deps.stores, services.mediaGate, services.mediaKeys));
  app.use('/api/*', csrfGuard());
  app.use('/api/*', principalMiddleware(services.auth, services.invites));
  const clientAddress = createClientAddress(deps.trustedProxies ?? []);
  app.route('/api', authRoutes(services.auth, services.access, { publicUrl: deps.publicUrl, clientAddress, throttle: deps.loginThrottle ?? services.loginThrottle }));
  app.route('/api/users', userRoutes(services.auth, services.access, deps.publicUrl));
  app.route('/api', inviteRoutes(services.invites));
  app.route('/api/networks', networkRoutes(services.networks, services.invites, services.meetings, deps.publicUrl));
  app.route('/api/meetings', meetingRoutes(services.meetings));
  app.route('/api/meetings', notesHistoryRoutes(services.notesHistory));
  app.route('/api', recordRoutes(services, deps.publicUrl));
  app.route('/api/audit', auditRoutes(services.audit, services.access));
  app.all('/api/*', notFound);
  app.route('/', rtcValidateRoutes(deps.media));
  deps.extra?.(app);
  if (deps.clientDir) app.route('/', clientRoutes(deps.clientDir));
  app.onError(createErrorHandler(deps.logger));
  return app;
}

function tooLarge(): never {
  throw new ApiError('payload_too_large', 'The request is too large.');
}


function securityHeaders(extraConnect: () => string[]) {
  return secureHeaders({
    contentSecurityPolicy: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      // The editor positions remote cursors with inline style attributes; no inline <style> or script.
      styleSrc: ["'self'", "'unsafe-inline'"],
      imgSrc: ["'self'", 'data:', 'blob:'],
      mediaSrc: ["'self'", 'blob:', 'mediastream:'],
      connectSrc: ["'self'", () => extraConnect().join(' ')],
      frameAncestors: ["'none'"],
      objectSrc: ["'none'"],
      baseUri: ["'self'"],
    },
    permissionsPolicy: { camera: ['self'], microphone: ['self'], displayCapture: ['self'] },
  });
}
