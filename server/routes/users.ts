import { Hono, type Context } from 'hono';
import { AccountId, AddAccountRequest, DeactivateRequest, RESET_PASSWORD_PATH, SessionId } from '../../shared/api/accounts.ts';
import type { Access } from '../services/access.ts';
import { toTeamUser, type AuthService } from '../services/auth.ts';
import type { AppEnv } from './env.ts';
import { check, readJson } from './validate.ts';

/** `/api/users`: team accounts, for administrators (the service checks standing on every call). */
export function userRoutes(auth: AuthService, access: Access, publicUrl: string | undefined): Hono<AppEnv> {
  const userId = (c: Context) => check(AccountId, c.req.param('id'));
  return new Hono<AppEnv>()
    .get('/', async (c) => c.json({ accounts: await auth.listAccounts(c.get('principal')) }))
    .post('/', async (c) => {
      // Standing first: a non-admin learns nothing from how their body would have been judged.
      access.requireAdmin(c.get('principal'));
      const { user, reset } = await auth.addAccount(c.get('principal'), await readJson(c, AddAccountRequest));
      const origin = publicUrl ?? new URL(c.req.url).origin;
      return c.json({ user: toTeamUser(user), ...(reset ? { reset: { url: resetLink(origin, reset.token), expiresAt: reset.expiresAt } } : {}) }, 201);
    })
    .post('/:id/deactivate', async (c) => {
      const { reason } = await readJson(c, DeactivateRequest);
      return c.json(await auth.deactivate(c.get('principal'), userId(c), reason));
    })
    .post('/:id/reactivate', async (c) => c.json({ account: await auth.reactivate(c.get('principal'), userId(c)) }))
    .post('/:id/password-reset', async (c) => {
      const { token, expiresAt } = await auth.issuePasswordReset(c.get('principal'), userId(c));
      const origin = publicUrl ?? new URL(c.req.url).origin;
      return c.json({ url: resetLink(origin, token), expiresAt }, 201);
    })
    .get('/:id/sessions', async (c) => c.json({ sessions: await auth.sessionsOf(c.get('principal'), userId(c)) }))
    .delete('/:id/sessions', async (c) => c.json({ ended: await auth.endAllSessions(c.get('principal'), userId(c)) }))
    .delete('/:id/sessions/:sessionId', async (c) => {
      await auth.endSession(c.get('principal'), userId(c), check(SessionId, c.req.param('sessionId')));
      return c.json({ ok: true });
    });
}

/** The link a person opens to set a new password; the token rides in the fragment, out of server logs. */
export function resetLink(origin: string, token: string): string {
  return `${new URL(RESET_PASSWORD_PATH, origin).href}#${token}`;
}
