import { Hono } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { getConnInfo } from '@hono/node-server/conninfo';
import { CreateUserRequest, LoginRequest, SetupRequest } from '../../shared/api/auth.ts';
import { SESSION_COOKIE } from '../../shared/api/limits.ts';
import { ApiError } from '../errors.ts';
import type { Access } from '../services/access.ts';
import { createAttemptLimiter } from '../services/attemptLimiter.ts';
import { SESSION_TTL_MS, toTeamUser, type AuthService } from '../services/auth.ts';
import type { AppEnv } from './env.ts';
import { readJson } from './validate.ts';

/** `/api/auth`, `/api/setup` and `/api/users`: team accounts. */
export function authRoutes(auth: AuthService, access: Access): Hono<AppEnv> {
  // Per email and per address: slows guessing one account, and guessing many from one place.
  const perEmail = createAttemptLimiter({ max: 10, windowMs: 15 * 60_000 });
  const perAddress = createAttemptLimiter({ max: 50, windowMs: 15 * 60_000 });

  return new Hono<AppEnv>()
    .post('/auth/login', async (c) => {
      const body = await readJson(c, LoginRequest);
      const address = getConnInfo(c).remote.address ?? 'unknown';
      if (!perEmail.take(body.email) || !perAddress.take(address)) {
        throw new ApiError('rate_limited', 'Too many attempts. Please wait 15 minutes and try again.');
      }
      const { token, user } = await auth.login(body.email, body.password);
      perEmail.reset(body.email);
      setCookie(c, SESSION_COOKIE, token, {
        httpOnly: true,
        sameSite: 'Lax',
        secure: new URL(c.req.url).protocol === 'https:',
        path: '/',
        maxAge: SESSION_TTL_MS / 1000,
      });
      return c.json({ user: toTeamUser(user) });
    })
    .post('/auth/logout', async (c) => {
      const token = getCookie(c, SESSION_COOKIE);
      if (token) await auth.logout(token);
      deleteCookie(c, SESSION_COOKIE, { path: '/' });
      return c.json({ ok: true });
    })
    .get('/auth/session', (c) => c.json({ user: toTeamUser(access.requireSessionUser(c.get('principal'))) }))
    .post('/setup', async (c) => {
      const user = await auth.setup(await readJson(c, SetupRequest));
      return c.json({ user: toTeamUser(user) }, 201);
    })
    .post('/users', async (c) => {
      access.requireAdmin(c.get('principal'));
      const user = await auth.createUser(await readJson(c, CreateUserRequest));
      return c.json({ user: toTeamUser(user) }, 201);
    });
}
