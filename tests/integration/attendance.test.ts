import { DatabaseSync } from 'node:sqlite';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JoinMeetingResponse } from '../../shared/api/meetings.ts';
import { InviteLanding, NetworkDetail } from '../../shared/api/networks.ts';
import { CaseloadResponse, MeetingRecord } from '../../shared/api/records.ts';
import { participantIdentityOf } from '../../shared/media/rooms.ts';
import { DATABASE_FILE } from '../../server/store/database.ts';
import { cli, idOf } from '../helpers/cli.ts';
import { HttpSession } from '../helpers/httpSession.ts';
import { addUser, PASSWORD, seedNetwork, type SeededNetwork } from '../helpers/seed.ts';
import { startServerProcess, type ServerProcess } from '../helpers/serverProcess.ts';
import { externalLiveKitEnv, participantWebhookBody, postWebhook, sendParticipantWebhook } from './helpers/recordFixtures.ts';

const MINUTE = 60_000;

let server: ServerProcess;
let seeded: SeededNetwork;
let pat: HttpSession;
let patIdentity: string;
let memberIdentity: string;
let interpreterIdentity: string;
let interpreterId: string;
let otherMemberId: string;
/** A read-only look at the server's database: what the webhook wrote, nothing the API would summarise. */
let db: DatabaseSync;
/** Whole seconds, as LiveKit stamps events, some minutes ago (after the referral would be in the future). */
const T = new Date(Math.floor((Date.now() - 30 * MINUTE) / 1000) * 1000);
const at = (minutes: number) => new Date(T.getTime() + minutes * MINUTE);

beforeAll(async () => {
  server = await startServerProcess({ env: await externalLiveKitEnv() });
  const patId = await addUser(server.dataDir, 'pat@team.org', { name: 'Pat Practitioner' });
  seeded = await seedNetwork(server.dataDir, { team: ['pat@team.org'], personName: 'Jo', memberName: 'Sam' });
  interpreterId = idOf(await cli(server.dataDir, ['member', 'add', '--network', seeded.networkId, '--name', 'Ivo', '--relationship', 'interpreter', '--interpreter']));
  otherMemberId = (await seedNetwork(server.dataDir, { team: ['pat@team.org'], personName: 'Kim', memberName: 'Lou' })).memberId;
  patIdentity = participantIdentityOf({ kind: 'user', id: patId });
  memberIdentity = participantIdentityOf({ kind: 'member', id: seeded.memberId });
  interpreterIdentity = participantIdentityOf({ kind: 'member', id: interpreterId });
  pat = new HttpSession(server.url);
  await pat.login('pat@team.org', PASSWORD);
  db = new DatabaseSync(join(server.dataDir, DATABASE_FILE), { readOnly: true });
});
afterAll(async () => {
  db?.close();
  await server?.dispose();
});

const attendanceRows = () => db.prepare('SELECT event_id, identity, kind, at FROM attendance WHERE meeting_id = ? ORDER BY at, event_id').all(seeded.meetingId);
const auditRows = () => db.prepare("SELECT actor_id, action, at FROM audit_log WHERE meeting_id = ? AND actor_kind = 'livekit' ORDER BY id").all(seeded.meetingId);
const record = async () => MeetingRecord.parse((await pat.json('GET', `/api/meetings/${seeded.meetingId}/record`))['record']);
const clock = async () => {
  const { networks } = CaseloadResponse.parse(await pat.json('GET', '/api/caseload'));
  const network = networks.find((n) => n.id === seeded.networkId);
  if (!network) throw new Error('network not in the caseload');
  return network;
};

describe('the person the network is about', () => {
  const members = async () => NetworkDetail.parse(await pat.json('GET', `/api/networks/${seeded.networkId}`)).members;
  const mark = (memberId: unknown, extra: Record<string, unknown> = {}) => pat.request('PUT', `/api/networks/${seeded.networkId}/person`, { memberId, ...extra });

  it('is marked among the members by the team, told to them on their invite page, and named when they join', async () => {
    expect((await mark(seeded.memberId)).status).toBe(200);
    expect((await members()).map((m) => [m.name, m.isPerson])).toEqual([['Sam', true], ['Ivo', false]]);
    const sam = HttpSession.forInvite(server.url, seeded.inviteUrl);
    expect(InviteLanding.parse(await sam.json('GET', '/api/invite')).member.isPerson).toBe(true);
    const samJoined = JoinMeetingResponse.parse(await sam.json('POST', `/api/meetings/${seeded.meetingId}/join`, { displayName: 'Sam' }));
    expect(samJoined.about).toEqual({ name: 'Jo', isYou: true });
    const patJoined = JoinMeetingResponse.parse(await pat.json('POST', `/api/meetings/${seeded.meetingId}/join`, { displayName: 'Pat' }));
    expect(patJoined.about).toEqual({ name: 'Jo', isYou: false });
  });

  it('refuses an interpreter, a member of another network and a malformed request, changing nothing', async () => {
    expect((await mark(interpreterId)).status).toBe(409);
    expect((await mark(otherMemberId)).status).toBe(404);
    expect((await mark('not-an-id')).status).toBe(400);
    expect((await mark(seeded.memberId, { isPerson: true })).status).toBe(400);
    expect((await mark(undefined)).status).toBe(400);
    expect((await members()).filter((m) => m.isPerson).map((m) => m.name)).toEqual(['Sam']);
  });

  it('can be unmarked', async () => {
    expect((await mark(null)).status).toBe(200);
    expect((await members()).some((m) => m.isPerson)).toBe(false);
    expect((await mark(seeded.memberId)).status).toBe(200);
  });
});

describe('attendance from LiveKit webhooks', () => {
  it('counts a replayed webhook (same event id) once, in the table, the audit log and the record', async () => {
    await sendParticipantWebhook(server.url, 'participant_joined', seeded.meetingId, patIdentity, at(0));
    await sendParticipantWebhook(server.url, 'participant_joined', seeded.meetingId, patIdentity, at(0));
    expect(attendanceRows()).toHaveLength(1);
    expect(auditRows()).toHaveLength(1);
    expect((await record()).attendees.map((a) => a.name)).toEqual(['Pat Practitioner']);
  });

  it('changes nothing for a webhook signed with another secret, or whose body is not the one signed', async () => {
    const table = attendanceRows();
    const audit = auditRows();
    const body = participantWebhookBody('participant_joined', seeded.meetingId, memberIdentity, at(1));
    const forged = await postWebhook(server.url, body, { secret: 'not-the-secret-but-just-as-long-as-the-real-one' });
    expect(forged.status).toBe(401);
    const swapped = await postWebhook(server.url, body, { signedBody: participantWebhookBody('participant_left', seeded.meetingId, patIdentity, at(1)) });
    expect(swapped.status).toBe(401);
    expect(attendanceRows()).toEqual(table);
    expect(auditRows()).toEqual(audit);
  });

  it('does not count the meeting as held while the team member and the network member only followed each other, or with an interpreter only', async () => {
    await sendParticipantWebhook(server.url, 'participant_joined', seeded.meetingId, interpreterIdentity, at(0.5));
    await sendParticipantWebhook(server.url, 'participant_left', seeded.meetingId, patIdentity, at(2));
    await sendParticipantWebhook(server.url, 'participant_joined', seeded.meetingId, memberIdentity, at(2));
    const network = await clock();
    expect(network.firstHeldAt).toBeUndefined();
    expect(network.clock.state).not.toBe('met');
  });

  // Found by a tester: the clock said "First meeting planned" after the first meeting had been held, as it read the schedule.
  it('says the first meeting was held once a team member and a network member were in it together', async () => {
    await sendParticipantWebhook(server.url, 'participant_joined', seeded.meetingId, patIdentity, at(5));
    const network = await clock();
    expect(network.firstHeldAt).toBe(at(5).toISOString());
    expect(network.clock).toEqual({ state: 'met', text: 'First meeting held within 24 hours' });
  });

  // Found by a tester: rejoining the video after the end changed the recorded attendance.
  it('does not record a join after the meeting ended, and keeps the record as it was at the end', async () => {
    await sendParticipantWebhook(server.url, 'participant_left', seeded.meetingId, memberIdentity, at(20));
    expect((await pat.request('POST', `/api/meetings/${seeded.meetingId}/end`, {})).status).toBe(200);
    const atEnd = await record();
    const table = attendanceRows();
    const rejoin = new Date(Date.now() + 2000);
    await sendParticipantWebhook(server.url, 'participant_joined', seeded.meetingId, memberIdentity, rejoin);
    await sendParticipantWebhook(server.url, 'participant_left', seeded.meetingId, patIdentity, new Date(rejoin.getTime() + MINUTE));
    expect(attendanceRows()).toEqual(table);
    expect(await record()).toEqual(atEnd);
    // The audit log still keeps the history of who joined, the rejoin included.
    expect(auditRows().at(-2)).toMatchObject({ actor_id: memberIdentity, action: 'participant_joined', at: new Date(Math.floor(rejoin.getTime() / 1000) * 1000).toISOString() });
  });

  it('gives each attendee first join, last leave and minutes present, open stays ending with the meeting', async () => {
    const { attendees, endedAt } = await record();
    const sam = attendees.find((a) => a.name === 'Sam');
    expect(sam).toEqual({
      name: 'Sam',
      role: 'network_member',
      firstJoinedAt: at(2).toISOString(),
      lastLeftAt: at(20).toISOString(),
      totalMinutes: 18,
      stays: [{ joinedAt: at(2).toISOString(), leftAt: at(20).toISOString() }],
    });
    const patAttended = attendees.find((a) => a.name === 'Pat Practitioner');
    expect(patAttended).toMatchObject({ firstJoinedAt: at(0).toISOString(), lastLeftAt: endedAt });
    expect(attendees.find((a) => a.name === 'Ivo')?.role).toBe('interpreter');
  });

  it('names the person it is about', async () => {
    expect((await record()).network.personName).toBe('Jo');
  });
});
