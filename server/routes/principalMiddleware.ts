import type { MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import { INVITE_TOKEN_HEADER, SESSION_COOKIE } from '../../shared/api/limits.ts';
import type { AuthService } from '../services/auth.ts';
import type { InviteService } from '../services/invites.ts';
import type { AppEnv } from './env.ts';

/** Resolves the principal: a team session cookie, else an invite token header, else anonymous. */
export function principalMiddleware(auth: AuthService, invites: InviteService): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    let principal = await auth.principalForSession(getCookie(c, SESSION_COOKIE));
    if (principal.kind === 'anonymous') principal = await invites.principalForToken(c.req.header(INVITE_TOKEN_HEADER));
    c.set('principal', principal);
    await next();
  };
}
