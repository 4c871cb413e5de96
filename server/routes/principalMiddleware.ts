import type { MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import { INVITE_TOKEN_HEADER, SESSION_COOKIE } from '../../shared/api/limits.ts';
import type { AuthService } from '../services/auth.ts';
import type { InviteService } from '../services/invites.ts';
import type { AppEnv } from './env.ts';

/**
 * Resolves the principal. A request that carries an invite token speaks as that invite's member (or as nobody
 * when the token is bad), whatever session cookie the browser also sends: the client adds the token only on
 * invite pages, and a team member who opens a family member's link on their own laptop (to check it, or to
 * hand over the laptop) must see what that family member sees, not "this link does not work any more".
 * Without a token: the team session cookie, else anonymous.
 */
export function principalMiddleware(auth: AuthService, invites: InviteService): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const inviteToken = c.req.header(INVITE_TOKEN_HEADER);
    c.set('principal', inviteToken !== undefined ? await invites.principalForToken(inviteToken) : await auth.principalForSession(getCookie(c, SESSION_COOKIE)));
    await next();
  };
}
