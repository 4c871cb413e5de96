import { Hono, type Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { ChangePasswordRequest, CompleteResetRequest } from '../../shared/api/accounts.ts';
import { LoginRequest, SetupRequest } from '../../shared/api/auth.ts';
import { SESSION_COOKIE } from '../../shared/api/limits.ts';
import { ApiError } from '../errors.ts';
import type { Access } from '../services/access.ts';
import { SESSION_TTL_MS, toTeamUser, type AuthService } from '../services/auth.ts';
import type { LoginThrottle } from '../services/loginThrottle.ts';
import type { AppEnv } from './env.ts';
import { readJson } from './validate.ts';

export interface AuthRouteOptions {
  /** PUBLIC_URL: when it is https the cookie is Secure, also behind a proxy that speaks http to us. */
  publicUrl: string | undefined;
  clientAddress: (c: Context) => string;
  throttle: LoginThrottle;
}

/** `/api/auth` and `/api/setup`: logging in and out, first-run setup, own password and reset links. */
export function authRoutes(auth: AuthService, access: Access, options: AuthRouteOptions): Hono<AppEnv> {
  const { throttle } = options;
  const secure = (c: Context) => (options.publicUrl ?? c.req.url).startsWith('https:');

  return new Hono<AppEnv>()
    .post('/auth/login', async (c) => {
      const body = await readJson(c, LoginRequest);
      const address = options.clientAddress(c);
      const decision = await throttle.check(body.email, address);
      if (!decision.allowed) {
        c.header('Retry-After', String(decision.retryAfterSeconds));
        throw new ApiError('rate_limited', `Too many attempts from here. Please wait ${waitWords(decision.retryAfterSeconds)} and try again.`);
      }
      if (decision.delayMs > 0) await new Promise<void>((done) => setTimeout(done, decision.delayMs));
      const { token, user } = await auth.login(body.email, body.password, { address, userAgent: c.req.header('user-agent') }).catch(async (error: unknown) => {
        if (error instanceof ApiError && error.code === 'unauthorized') await throttle.recordFailure(body.email, address);
        throw error;
      });
      await throttle.recordSuccess(body.email, address);
      setCookie(c, SESSION_COOKIE, token, { httpOnly: true, sameSite: 'Lax', secure: secure(c), path: '/', maxAge: SESSION_TTL_MS / 1000 });
      return c.json({ user: toTeamUser(user) });
    })
    .post('/auth/logout', async (c) => {
      const token = getCookie(c, SESSION_COOKIE);
      if (token) await auth.logout(token);
      deleteCookie(c, SESSION_COOKIE, { path: '/', secure: secure(c) });
      return c.json({ ok: true });
    })
    .get('/auth/session', (c) => c.json({ user: toTeamUser(access.requireSessionUser(c.get('principal'))) }))
    .post('/auth/password', async (c) => {
      const user = access.requireSessionUser(c.get('principal'));
      const body = await readJson(c, ChangePasswordRequest);
      await auth.changePassword(user, getCookie(c, SESSION_COOKIE) ?? '', body.currentPassword, body.newPassword);
      return c.json({ ok: true });
    })
    .post('/auth/reset-password', async (c) => {
      const body = await readJson(c, CompleteResetRequest);
      await auth.completePasswordReset(body.token, body.password);
      return c.json({ ok: true });
    })
    .post('/setup', async (c) => {
      const user = await auth.setup(await readJson(c, SetupRequest));
      return c.json({ user: toTeamUser(user) }, 201);
    });
}

function waitWords(seconds: number): string {
  if (seconds < 60) return seconds === 1 ? 'a second' : `${seconds} seconds`;
  const minutes = Math.ceil(seconds / 60);
  return minutes === 1 ? 'a minute' : `${minutes} minutes`;
}
