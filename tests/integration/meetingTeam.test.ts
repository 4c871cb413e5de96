import ICAL from 'ical.js';
import { afterEach, describe, expect, it } from 'vitest';
import { GetMeetingResponse, JoinMeetingResponse, SetMeetingTeamResponse } from '../../shared/api/meetings.ts';
import { CaseloadResponse, ContinuityResponse, MemberOverview, ScheduleResponse } from '../../shared/api/records.ts';
import type { Principal } from '../../server/services/principal.ts';
import { createInProcessApp, type InProcessApp } from '../helpers/inProcessApp.ts';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const SYSTEM: Principal = { kind: 'system' };

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function app(): Promise<InProcessApp> {
  const server = await createInProcessApp({ start: new Date('2026-12-02T09:00:00Z') });
  cleanups.push(() => server.close());
  return server;
}

/** A network whose team is Pat, Kim and Lee, with Sam (the brother) invited and one meeting at `meetingAt`. */
async function threeOnTeam(server: InProcessApp, meetingAt: Date) {
  const seeded = await server.seed({ teamEmail: 'pat@team.org', meetingAt });
  const pat = await server.team('pat@team.org');
  await server.team('kim@team.org', { name: 'Kim Lee', role: 'peer_worker' });
  await server.team('lee@team.org', { name: 'Lee Ray' });
  await server.services.networks.assign(SYSTEM, seeded.networkId, 'kim@team.org');
  await server.services.networks.assign(SYSTEM, seeded.networkId, 'lee@team.org');
  const ids = new Map<string, string>();
  for (const email of ['pat@team.org', 'kim@team.org', 'lee@team.org']) ids.set(email, (await server.stores.users.byEmail(email))?.id ?? '');
  return { ...seeded, pat, idOf: (email: string) => ids.get(email) ?? '' };
}

function namesOf(team: readonly { name: string }[]): string[] {
  return team.map((t) => t.name).sort((a, b) => a.localeCompare(b));
}

async function statusOnTeamPage(server: InProcessApp, networkId: string, meetingId: string) {
  const pat = await server.team('pat@team.org');
  const continuity = ContinuityResponse.parse(await pat.json('GET', `/api/networks/${networkId}/continuity`));
  const caseload = CaseloadResponse.parse(await pat.json('GET', '/api/caseload'));
  return {
    networkPage: continuity.meetings.find((m) => m.id === meetingId)?.status,
    caseload: caseload.networks.find((n) => n.id === networkId)?.nextMeeting?.status,
  };
}

describe("a meeting's status on the team's pages (finding: a brother's early entry showed tomorrow's meeting as happening now)", () => {
  it('stays scheduled when a member opens tomorrow’s meeting, and when a member comes in half an hour early', async () => {
    const server = (await app());
    const tomorrow = await server.seed({ teamEmail: 'pat@team.org', meetingAt: new Date(server.clock.now().getTime() + DAY) });
    expect((await tomorrow.member.request('POST', `/api/meetings/${tomorrow.meetingId}/join`, { displayName: 'Sam' })).status).toBe(409);
    expect(await statusOnTeamPage(server, tomorrow.networkId, tomorrow.meetingId)).toEqual({ networkPage: 'scheduled', caseload: 'scheduled' });

    const soon = await server.seed({ teamEmail: 'pat@team.org', meetingAt: new Date(server.clock.now().getTime() + 25 * MINUTE) });
    JoinMeetingResponse.parse(await soon.member.json('POST', `/api/meetings/${soon.meetingId}/join`, { displayName: 'Sam' }));
    expect(await statusOnTeamPage(server, soon.networkId, soon.meetingId)).toEqual({ networkPage: 'scheduled', caseload: 'scheduled' });
  });

  it('stays scheduled when a team member looks in a day early, and becomes live when the team joins near its time', async () => {
    const server = (await app());
    const meetingAt = new Date(server.clock.now().getTime() + DAY);
    const { networkId, meetingId, member } = await server.seed({ teamEmail: 'pat@team.org', meetingAt });
    const pat = await server.team('pat@team.org');

    JoinMeetingResponse.parse(await pat.json('POST', `/api/meetings/${meetingId}/join`, { displayName: 'Pat' }));
    expect(await statusOnTeamPage(server, networkId, meetingId)).toEqual({ networkPage: 'scheduled', caseload: 'scheduled' });
    expect((await member.request('POST', `/api/meetings/${meetingId}/join`, { displayName: 'Sam' })).status).toBe(409);

    server.clock.set(new Date(meetingAt.getTime() - 10 * MINUTE));
    JoinMeetingResponse.parse(await (await server.team('pat@team.org')).json('POST', `/api/meetings/${meetingId}/join`, { displayName: 'Pat' }));
    expect(await statusOnTeamPage(server, networkId, meetingId)).toEqual({ networkPage: 'live', caseload: 'live' });
  });
});

describe('the team members who come to a meeting (finding: the waiting screen named the whole team)', () => {
  it('names the pair chosen when planning, to the member before and after joining, and on the network page', async () => {
    const server = (await app());
    const { networkId, member, pat, idOf } = await threeOnTeam(server, new Date(server.clock.now().getTime() + 2 * DAY));
    const startsAt = new Date(server.clock.now().getTime() + 10 * MINUTE).toISOString();
    const { meetings } = ScheduleResponse.parse(
      await pat.json('POST', `/api/networks/${networkId}/schedule`, { startsAt, durationMinutes: 90, teamUserIds: [idOf('kim@team.org'), idOf('pat@team.org')] }),
    );
    const planned = meetings[0];
    if (!planned) throw new Error('nothing was planned');
    expect(planned.team?.map((t) => t.name)).toEqual(['Kim Lee', 'pat']);

    const seen = GetMeetingResponse.parse(await member.json('GET', `/api/meetings/${planned.id}`));
    expect(seen.team.map((t) => [t.name, t.role])).toEqual([['Kim Lee', 'peer_worker'], ['pat', 'practitioner']]);
    expect(seen.when).toEqual({ scheduledAt: startsAt, durationMinutes: 90, timeZone: expect.any(String) as string });

    const joined = JoinMeetingResponse.parse(await member.json('POST', `/api/meetings/${planned.id}/join`, { displayName: 'Sam' }));
    expect(joined.team.map((t) => t.name)).toEqual(['Kim Lee', 'pat']);
    expect(joined.when.scheduledAt).toBe(startsAt);

    const overview = MemberOverview.parse(await member.json('GET', '/api/invite/overview'));
    expect(overview.upcoming.find((m) => m.id === planned.id)?.team?.map((t) => t.name)).toEqual(['Kim Lee', 'pat']);
    const continuity = ContinuityResponse.parse(await pat.json('GET', `/api/networks/${networkId}/continuity`));
    expect(continuity.meetings.find((m) => m.id === planned.id)?.team?.map((t) => t.name)).toEqual(['Kim Lee', 'pat']);
  });

  it('has the whole current team when nobody was chosen, and never someone taken off the team', async () => {
    const server = (await app());
    const { networkId, meetingId, member, pat, idOf } = await threeOnTeam(server, new Date(server.clock.now().getTime() + DAY));
    expect(namesOf(GetMeetingResponse.parse(await member.json('GET', `/api/meetings/${meetingId}`)).team)).toEqual(['Kim Lee', 'Lee Ray', 'pat']);

    SetMeetingTeamResponse.parse(await pat.json('PUT', `/api/meetings/${meetingId}/team`, { userIds: [idOf('lee@team.org')] }));
    expect(GetMeetingResponse.parse(await member.json('GET', `/api/meetings/${meetingId}`)).team.map((t) => t.name)).toEqual(['Lee Ray']);

    await pat.json('POST', `/api/networks/${networkId}/team/${idOf('lee@team.org')}/unassign`, { reason: 'moved to another service' });
    expect(namesOf(GetMeetingResponse.parse(await member.json('GET', `/api/meetings/${meetingId}`)).team)).toEqual(['Kim Lee', 'pat']);
  });

  it('lets the team change who comes, refusing people off the team, members, and meetings that have ended', async () => {
    const server = (await app());
    const { meetingId, member, pat, idOf } = await threeOnTeam(server, server.clock.now());
    const outsider = await server.team('out@team.org');
    const outsiderId = (await server.stores.users.byEmail('out@team.org'))?.id ?? '';

    const changed = SetMeetingTeamResponse.parse(await pat.json('PUT', `/api/meetings/${meetingId}/team`, { userIds: [idOf('kim@team.org'), idOf('kim@team.org')] }));
    expect(changed.team.map((t) => t.name)).toEqual(['Kim Lee']);

    const notOnTeam = await pat.request('PUT', `/api/meetings/${meetingId}/team`, { userIds: [outsiderId] });
    expect(notOnTeam.status).toBe(400);
    expect(((await notOnTeam.json()) as { error: { code: string } }).error.code).toBe('bad_request');
    expect((await pat.request('PUT', `/api/meetings/${meetingId}/team`, { userIds: [] })).status).toBe(400);
    expect((await pat.request('PUT', `/api/meetings/${meetingId}/team`, { userIds: [idOf('kim@team.org')], extra: 1 })).status).toBe(400);
    expect([401, 403]).toContain((await member.request('PUT', `/api/meetings/${meetingId}/team`, { userIds: [idOf('kim@team.org')] })).status);
    expect([403, 404]).toContain((await outsider.request('PUT', `/api/meetings/${meetingId}/team`, { userIds: [outsiderId] })).status);

    await pat.json('POST', `/api/meetings/${meetingId}/end`, {});
    const ended = await pat.request('PUT', `/api/meetings/${meetingId}/team`, { userIds: [idOf('pat@team.org')] });
    expect(ended.status).toBe(409);
    expect(GetMeetingResponse.parse(await member.json('GET', `/api/meetings/${meetingId}`)).team.map((t) => t.name)).toEqual(['Kim Lee']);
  });
});

describe('who comes, when a network is erased', () => {
  it('goes with the network', async () => {
    const server = (await app());
    const { networkId, meetingId, pat, idOf } = await threeOnTeam(server, server.clock.now());
    await pat.json('PUT', `/api/meetings/${meetingId}/team`, { userIds: [idOf('kim@team.org')] });
    expect((await server.stores.meetingTeams.forMeetings([meetingId])).get(meetingId)).toEqual([idOf('kim@team.org')]);
    await server.stores.eraser.erase(networkId);
    expect((await server.stores.meetingTeams.forMeetings([meetingId])).size).toBe(0);
  });
});

describe("a member's meetings, soonest first", () => {
  it('lists meetings still to come soonest first, those held newest first, and those never opened apart', async () => {
    const server = (await app());
    const start = server.clock.now().getTime();
    const { networkId, meetingId: neverOpened, member, pat } = await threeOnTeam(server, new Date(start));
    const { meetings } = ScheduleResponse.parse(await pat.json('POST', `/api/networks/${networkId}/schedule`, { startsAt: new Date(start + DAY).toISOString(), count: 3 }));
    server.clock.set(new Date(start + DAY));
    const [held] = meetings;
    if (!held) throw new Error('nothing was planned');
    const patNextDay = await server.team('pat@team.org');
    await patNextDay.json('POST', `/api/meetings/${held.id}/join`, { displayName: 'Pat' });
    await patNextDay.json('POST', `/api/meetings/${held.id}/end`, {});

    const overview = MemberOverview.parse(await member.json('GET', '/api/invite/overview'));
    expect(overview.upcoming.map((m) => m.id)).toEqual(meetings.slice(1).map((m) => m.id));
    expect(overview.past.map((m) => m.id)).toEqual([held.id]);
    expect(overview.notHeld.map((m) => m.id)).toEqual([neverOpened]);
  });

  it('gives a calendar file for one meeting ahead, and refuses one that is not', async () => {
    const server = (await app());
    const start = server.clock.now().getTime();
    const { networkId, meetingId, member, pat } = await threeOnTeam(server, new Date(start + DAY));
    await pat.json('POST', `/api/networks/${networkId}/schedule`, { startsAt: new Date(start + 2 * DAY).toISOString() });

    const res = await member.request('GET', `/api/invite/calendar?meeting=${meetingId}`);
    expect(res.status).toBe(200);
    const events = new ICAL.Component(ICAL.parse(await res.text()) as unknown[]).getAllSubcomponents('vevent');
    expect(events.map((e) => new ICAL.Event(e).startDate.toJSDate().toISOString())).toEqual([new Date(start + DAY).toISOString()]);
    expect((await member.request('GET', '/api/invite/calendar?meeting=not-an-id')).status).toBe(400);
    expect((await member.request('GET', '/api/invite/calendar?other=1')).status).toBe(400);
  });
});
