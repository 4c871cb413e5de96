import { Hono } from 'hono';
import { RandomId } from '../../shared/api/ids.ts';
import { CreateMeetingRequest, JoinMeetingRequest } from '../../shared/api/meetings.ts';
import type { MeetingService } from '../services/meetings.ts';
import { check, readJson } from './validate.ts';

/** `/api/meetings`: create a meeting, read one, join one. Thin: validate, call the service, answer. */
export function meetingRoutes(meetings: MeetingService): Hono {
  return new Hono()
    .post('/', async (c) => {
      const body = await readJson(c, CreateMeetingRequest);
      return c.json(await meetings.create(body.title), 201);
    })
    .get('/:id', async (c) => {
      const id = check(RandomId, c.req.param('id'));
      return c.json({ meeting: await meetings.get(id) });
    })
    .post('/:id/join', async (c) => {
      const id = check(RandomId, c.req.param('id'));
      const body = await readJson(c, JoinMeetingRequest);
      return c.json(await meetings.join(id, body.displayName));
    });
}
