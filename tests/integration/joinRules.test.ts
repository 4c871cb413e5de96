import { afterEach, describe, expect, it } from 'vitest';
import { JoinMeetingResponse } from '../../shared/api/meetings.ts';
import { createInProcessApp, type InProcessApp } from '../helpers/inProcessApp.ts';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

async function app() {
  const server = await createInProcessApp({ start: new Date('2026-03-02T08:00:00Z') });
  cleanups.push(() => server.close());
  return server;
}

async function statusOf(server: InProcessApp, meetingId: string): Promise<string | undefined> {
  return (await server.stores.meetings.get(meetingId))?.status;
}

describe('when a member may open a meeting (finding: a member opening a meeting months ahead marked it live)', () => {
  it('refuses a member who opens a meeting months ahead, saying when it is in their own time zone', async () => {
    const server = (await app());
    const meetingAt = new Date(server.clock.now().getTime() + 90 * DAY);
    const { meetingId, member } = await server.seed({ teamEmail: 'pat@team.org', meetingAt });

    const res = await member.request('POST', `/api/meetings/${meetingId}/join`, { displayName: 'Sam', timeZone: 'Europe/London' });
    expect(res.status).toBe(409);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('conflict');
    expect(body.error.message).toContain('Sunday, 31 May 2026 at 09:00'); // 08:00 UTC is 09:00 in London in May
    expect(body.error.message).toContain('half an hour before');
    expect(await statusOf(server, meetingId)).toBe('scheduled');
  });

  it('lets a member in 30 minutes early without making the meeting live, so the team can still move it', async () => {
    const server = (await app());
    const meetingAt = new Date(server.clock.now().getTime() + 30 * MINUTE);
    const { meetingId, member } = await server.seed({ teamEmail: 'pat@team.org', meetingAt });

    const joined = JoinMeetingResponse.parse(await member.json('POST', `/api/meetings/${meetingId}/join`, { displayName: 'Sam' }));
    expect(joined.role).toBe('network_member');
    expect(await statusOf(server, meetingId)).toBe('scheduled');

    const pat = await server.team('pat@team.org');
    const moved = await pat.request('POST', `/api/meetings/${meetingId}/reschedule`, { scheduledAt: new Date(meetingAt.getTime() + DAY).toISOString() });
    expect(moved.status).toBe(200);
  });

  it('marks a meeting live only when a team member joins near its time, and then lets members in whatever the time', async () => {
    const server = (await app());
    const meetingAt = new Date(server.clock.now().getTime() + 20 * MINUTE);
    const { meetingId, member } = await server.seed({ teamEmail: 'pat@team.org', meetingAt });
    const pat = await server.team('pat@team.org');

    await pat.json('POST', `/api/meetings/${meetingId}/join`, { displayName: 'Pat' });
    expect(await statusOf(server, meetingId)).toBe('live');
    server.clock.set(new Date(meetingAt.getTime() + 2 * DAY));
    expect((await member.request('POST', `/api/meetings/${meetingId}/join`, { displayName: 'Sam' })).status).toBe(200);
  });

  it('refuses a member once the meeting time is long past, unless the team has opened it', async () => {
    const server = (await app());
    const meetingAt = new Date(server.clock.now().getTime() + 10 * MINUTE);
    const { meetingId, member } = await server.seed({ teamEmail: 'pat@team.org', meetingAt });
    server.clock.set(new Date(meetingAt.getTime() + 60 * MINUTE + 4 * 60 * MINUTE - MINUTE));
    expect((await member.request('POST', `/api/meetings/${meetingId}/join`, { displayName: 'Sam' })).status).toBe(200);

    server.clock.set(new Date(meetingAt.getTime() + 60 * MINUTE + 4 * 60 * MINUTE + MINUTE));
    const late = await member.request('POST', `/api/meetings/${meetingId}/join`, { displayName: 'Sam' });
    expect(late.status).toBe(409);
    expect(((await late.json()) as { error: { message: string } }).error.message).toMatch(/can no longer be joined.*UTC|UTC.*can no longer be joined/);
  });
});

describe('names at the door (finding: a member could look like the team on the video tiles)', () => {
  it('refuses a name that imitates a role label, in plain words, and changes nothing', async () => {
    const server = (await app());
    const { meetingId, member } = await server.seed({ teamEmail: 'pat@team.org', meetingAt: server.clock.now() });
    for (const displayName of ['Dr Pat · practitioner', 'Pat | team', 'Pat\u202e', 'Dr Pat peer worker']) {
      const res = await member.request('POST', `/api/meetings/${meetingId}/join`, { displayName });
      expect(res.status, displayName).toBe(400);
      const body = (await res.json()) as { error: { message: string } };
      expect(body.error.message).toMatch(/^displayName: (Your name can have|Your name cannot end with)/);
    }
    expect(await server.stores.audit.list({ limit: 50 }).then((entries) => entries.filter((e) => e.action === 'meeting_joined'))).toEqual([]);
  });

  it('uses the name as normalised: one space between words, compatibility forms made plain', async () => {
    const server = (await app());
    const { meetingId, member } = await server.seed({ teamEmail: 'pat@team.org', meetingAt: server.clock.now() });
    const joined = JoinMeetingResponse.parse(await member.json('POST', `/api/meetings/${meetingId}/join`, { displayName: '  Ｓａｍ \t  Jones ' }));
    expect(joined.displayName).toBe('Sam Jones');
  });
});
