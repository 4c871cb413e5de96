import { Hono } from 'hono';
import { RandomId } from '../../shared/api/ids.ts';
import { CreateMeetingRequest } from '../../shared/api/meetings.ts';
import {
  AddMemberRequest,
  AssignTeamRequest,
  CreateInviteRequest,
  CreateNetworkRequest,
  MarkPersonRequest,
  RemoveMemberRequest,
  SetTimeZoneRequest,
  UpdateMemberRequest,
} from '../../shared/api/networks.ts';
import type { InviteService } from '../services/invites.ts';
import type { MeetingService } from '../services/meetings.ts';
import type { NetworkService } from '../services/networks.ts';
import type { AppEnv } from './env.ts';
import { check, readJson } from './validate.ts';

/** `/api/networks`: networks, their team, members, invites and meetings. Thin: validate, call, answer. */
export function networkRoutes(
  networks: NetworkService,
  invites: InviteService,
  meetings: MeetingService,
  publicUrl: string | undefined,
): Hono<AppEnv> {
  const id = (value: string | undefined) => check(RandomId, value);
  return new Hono<AppEnv>()
    .get('/', async (c) => c.json({ networks: await networks.list(c.get('principal')) }))
    .post('/', async (c) => c.json({ network: await networks.create(c.get('principal'), await readJson(c, CreateNetworkRequest)) }, 201))
    .get('/:id', async (c) => c.json(await networks.detail(c.get('principal'), id(c.req.param('id')))))
    .post('/:id/team', async (c) => {
      const body = await readJson(c, AssignTeamRequest);
      await networks.assign(c.get('principal'), id(c.req.param('id')), body.email);
      return c.json({ ok: true });
    })
    .post('/:id/members', async (c) => {
      const member = await networks.addMember(c.get('principal'), id(c.req.param('id')), await readJson(c, AddMemberRequest));
      return c.json({ member }, 201);
    })
    .put('/:id/members/:memberId', async (c) => {
      const body = await readJson(c, UpdateMemberRequest);
      return c.json({ member: await networks.updateMember(c.get('principal'), id(c.req.param('id')), id(c.req.param('memberId')), body) });
    })
    .post('/:id/members/:memberId/remove', async (c) => {
      const { reason } = await readJson(c, RemoveMemberRequest);
      return c.json({ member: await networks.removeMember(c.get('principal'), id(c.req.param('id')), id(c.req.param('memberId')), reason) });
    })
    .put('/:id/person', async (c) => {
      const body = await readJson(c, MarkPersonRequest);
      await networks.markPerson(c.get('principal'), id(c.req.param('id')), body.memberId);
      return c.json({ ok: true });
    })
    .put('/:id/time-zone', async (c) => {
      const body = await readJson(c, SetTimeZoneRequest);
      return c.json({ network: await networks.setTimeZone(c.get('principal'), id(c.req.param('id')), body.timeZone) });
    })
    .post('/:id/members/:memberId/invites', async (c) => {
      id(c.req.param('id'));
      const body = await readJson(c, CreateInviteRequest);
      const origin = publicUrl ?? new URL(c.req.url).origin;
      return c.json(await invites.create(c.get('principal'), id(c.req.param('memberId')), body.expiresInDays, origin), 201);
    })
    .post('/:id/meetings', async (c) => {
      const meeting = await meetings.create(c.get('principal'), id(c.req.param('id')), await readJson(c, CreateMeetingRequest));
      return c.json({ meeting }, 201);
    });
}
