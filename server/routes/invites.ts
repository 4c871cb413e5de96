import { Hono } from 'hono';
import { RandomId } from '../../shared/api/ids.ts';
import type { InviteService } from '../services/invites.ts';
import type { AppEnv } from './env.ts';
import { check } from './validate.ts';

/** `/api/invite` (a member's own view, by their token) and `/api/invites/:id` (revoking, by the team). */
export function inviteRoutes(invites: InviteService): Hono<AppEnv> {
  return new Hono<AppEnv>()
    .get('/invite', async (c) => c.json(await invites.landing(c.get('principal'))))
    .delete('/invites/:id', async (c) => {
      await invites.revoke(c.get('principal'), check(RandomId, c.req.param('id')));
      return c.json({ ok: true });
    });
}
