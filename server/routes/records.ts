import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { RandomId } from '../../shared/api/ids.ts';
import { SetMeetingTeamRequest } from '../../shared/api/meetings.ts';
import { AddendumRequest, InviteCalendarQuery, RescheduleRequest, RetentionSetting, ScheduleRequest, UnassignRequest } from '../../shared/api/records.ts';
import type { Services } from '../services/createServices.ts';
import type { AppEnv } from './env.ts';
import { check, readJson } from './validate.ts';

const ExportQuery = z.strictObject({ format: z.enum(['md', 'pdf']) });
const DeleteQuery = z.strictObject({ confirm: z.literal('yes', 'add ?confirm=yes: deleting a network cannot be undone') });

/**
 * Continuity and the record (mounted at `/api`): the caseload, a network's continuity, scheduling and
 * calendars, changes of team, each meeting's record with its addenda and exports, a member's own view,
 * and the retention and deletion of networks. Thin: validate, call a service, answer.
 */
export function recordRoutes(services: Services, publicUrl: string | undefined): Hono<AppEnv> {
  const id = (value: string | undefined) => check(RandomId, value);
  const origin = (c: Context) => publicUrl ?? new URL(c.req.url).origin;
  const { records, scheduling, exports, retention } = services;
  return new Hono<AppEnv>()
    .get('/caseload', async (c) => c.json({ networks: await records.caseload(c.get('principal')) }))
    .get('/networks/:id/continuity', async (c) => c.json(await records.continuity(c.get('principal'), id(c.req.param('id')))))
    .post('/networks/:id/team/:userId/unassign', async (c) => {
      const body = await readJson(c, UnassignRequest);
      await records.unassign(c.get('principal'), id(c.req.param('id')), id(c.req.param('userId')), body.reason);
      return c.json({ ok: true });
    })
    .post('/networks/:id/schedule', async (c) => {
      const meetings = await scheduling.schedule(c.get('principal'), id(c.req.param('id')), await readJson(c, ScheduleRequest));
      return c.json({ meetings }, 201);
    })
    .get('/networks/:id/members/:memberId/calendar', async (c) => {
      const ics = await scheduling.memberCalendar(c.get('principal'), id(c.req.param('id')), id(c.req.param('memberId')), origin(c));
      return calendarFile(c, ics);
    })
    .get('/invites/:id/link', async (c) => c.json({ url: await scheduling.inviteLink(c.get('principal'), id(c.req.param('id')), origin(c)) }))
    .post('/networks/:id/close', async (c) => c.json({ closedAt: await retention.closeNetwork(c.get('principal'), id(c.req.param('id'))) }))
    .delete('/networks/:id', async (c) => {
      check(DeleteQuery, c.req.query());
      return c.json({ deleted: await retention.deleteNetwork(c.get('principal'), id(c.req.param('id')), true) });
    })
    .post('/meetings/:id/reschedule', async (c) => {
      const body = await readJson(c, RescheduleRequest);
      return c.json({ meeting: await scheduling.reschedule(c.get('principal'), id(c.req.param('id')), body.scheduledAt) });
    })
    .put('/meetings/:id/team', async (c) => {
      const body = await readJson(c, SetMeetingTeamRequest);
      return c.json({ team: await scheduling.setMeetingTeam(c.get('principal'), id(c.req.param('id')), body.userIds) });
    })
    .get('/meetings/:id/record', async (c) => c.json({ record: await records.record(c.get('principal'), id(c.req.param('id'))) }))
    .post('/meetings/:id/addenda', async (c) => {
      const body = await readJson(c, AddendumRequest);
      return c.json({ record: await records.addAddendum(c.get('principal'), id(c.req.param('id')), body.text) }, 201);
    })
    .get('/meetings/:id/export', async (c) => {
      const { format } = check(ExportQuery, c.req.query());
      const file = await exports.exportMeeting(c.get('principal'), id(c.req.param('id')), format);
      return download(c, file.body, file.contentType, file.fileName);
    })
    .get('/invite/overview', async (c) => c.json(await records.memberOverview(c.get('principal'))))
    .get('/invite/calendar', async (c) => {
      const { meeting } = check(InviteCalendarQuery, c.req.query());
      return calendarFile(c, await scheduling.ownCalendar(c.get('principal'), origin(c), meeting));
    })
    .get('/admin/retention', async (c) => c.json({ endedNetworkRetentionDays: (await retention.retentionDays(c.get('principal'))) ?? null }))
    .put('/admin/retention', async (c) => {
      const body = await readJson(c, RetentionSetting);
      await retention.setRetentionDays(c.get('principal'), body.endedNetworkRetentionDays);
      return c.json(body);
    });
}

function calendarFile(c: Context, ics: string): Response {
  return download(c, new TextEncoder().encode(ics), 'text/calendar; charset=utf-8', 'network-meetings.ics');
}

/** A file to save, never to render in our origin; personal content, so no caching anywhere. */
function download(c: Context, body: Uint8Array, contentType: string, fileName: string): Response {
  c.header('Content-Type', contentType);
  c.header('Content-Disposition', `attachment; filename="${fileName}"`);
  c.header('Cache-Control', 'no-store');
  c.header('X-Content-Type-Options', 'nosniff');
  return c.body(body as Uint8Array<ArrayBuffer>);
}
