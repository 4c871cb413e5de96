import { Hono } from 'hono';
import { RandomId } from '../../shared/api/ids.ts';
import { JoinMeetingRequest } from '../../shared/api/meetings.ts';
import type { MeetingService } from '../services/meetings.ts';
import type { AppEnv } from './env.ts';
import { check, readJson } from './validate.ts';

/** `/api/meetings/:id`: read, join, the media key, end. */
export function meetingRoutes(meetings: MeetingService): Hono<AppEnv> {
  const id = (value: string | undefined) => check(RandomId, value);
  return new Hono<AppEnv>()
    .get('/:id', async (c) => c.json(await meetings.get(c.get('principal'), id(c.req.param('id')))))
    .post('/:id/join', async (c) => {
      const body = await readJson(c, JoinMeetingRequest);
      return c.json(await meetings.join(c.get('principal'), id(c.req.param('id')), body.displayName, body.timeZone));
    })
    .get('/:id/media-key', async (c) => c.json(await meetings.mediaKey(c.get('principal'), id(c.req.param('id')))))
    .post('/:id/end', async (c) => c.json({ meeting: await meetings.end(c.get('principal'), id(c.req.param('id'))) }));
}
