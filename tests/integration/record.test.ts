import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { JoinMeetingResponse, type SyncAccess } from '../../shared/api/meetings.ts';
import { MeetingRecord } from '../../shared/api/records.ts';
import { recordTime } from '../../shared/api/timeZone.ts';
import type { Author } from '../../shared/doc/entries.ts';
import { addQuestion, decideQuestion } from '../../shared/doc/questions.ts';
import { addReflection } from '../../shared/doc/reflections.ts';
import { SYNC_CLOSE } from '../../shared/protocol/sync.ts';
import { loadOrCreateServerSecret } from '../../server/secret.ts';
import { createTicketSigner } from '../../server/sync/tickets.ts';
import { cli, idOf } from '../helpers/cli.ts';
import { closeCodeOf, connectDocClient, waitUntilStored } from '../helpers/docClient.ts';
import { HttpSession } from '../helpers/httpSession.ts';
import { addUser, PASSWORD, seedNetwork, type SeededNetwork } from '../helpers/seed.ts';
import { startServerProcess, type ServerProcess } from '../helpers/serverProcess.ts';
import { externalLiveKitEnv, sendParticipantWebhook } from './helpers/recordFixtures.ts';

type Role = 'admin' | 'practitioner' | 'peer worker' | 'network member' | 'interpreter';
/** The name each one joins under: a role word is not a name (see shared/api/displayName.ts). */
const JOIN_NAMES: Record<Role, string> = { admin: 'Ada', practitioner: 'Pat', 'peer worker': 'Pia', 'network member': 'Maria', interpreter: 'Ivo' };

let server: ServerProcess;
let seeded: SeededNetwork;
const sessions = new Map<Role, HttpSession>();
const joined = new Map<Role, JoinMeetingResponse>();
const session = (role: Role): HttpSession => {
  const s = sessions.get(role);
  if (!s) throw new Error(`no session for ${role}`);
  return s;
};
const joinOf = (role: Role): JoinMeetingResponse => {
  const j = joined.get(role);
  if (!j) throw new Error(`${role} has not joined`);
  return j;
};

const NOTES = ['Alex slept better since Tuesday.', 'Maria worries about the new medication.'];
const REFLECTION = 'I noticed how much calmer the kitchen sounded today.';
const QUESTION = 'Should the medication be reduced?';
const DECISION = 'Keep the dose for one more week, then meet again.';

beforeAll(async () => {
  server = await startServerProcess({ env: await externalLiveKitEnv() });
  const dir = server.dataDir;
  await addUser(dir, 'admin@team.org', { admin: true, name: 'Ada Admin' });
  await addUser(dir, 'pat@team.org', { name: 'Pat Practitioner' });
  await addUser(dir, 'peer@team.org', { role: 'peer_worker', name: 'Pia Peer' });
  seeded = await seedNetwork(dir, { team: ['pat@team.org', 'peer@team.org'], personName: 'Alex', memberName: 'Maria' });
  const interpreterId = idOf(await cli(dir, ['member', 'add', '--network', seeded.networkId, '--name', 'Ivo', '--relationship', 'interpreter', '--interpreter']));
  const interpreterInvite = await cli(dir, ['invite', 'create', '--member', interpreterId]);

  const team = async (email: string) => {
    const s = new HttpSession(server.url);
    await s.login(email, PASSWORD);
    return s;
  };
  sessions.set('admin', await team('admin@team.org'));
  sessions.set('practitioner', await team('pat@team.org'));
  sessions.set('peer worker', await team('peer@team.org'));
  sessions.set('network member', HttpSession.forInvite(server.url, seeded.inviteUrl));
  sessions.set('interpreter', HttpSession.forInvite(server.url, String(interpreterInvite['url'])));
  for (const role of sessions.keys()) {
    joined.set(role, JoinMeetingResponse.parse(await session(role).json('POST', `/api/meetings/${seeded.meetingId}/join`, { displayName: JOIN_NAMES[role] })));
  }
});
afterAll(async () => server?.dispose());

describe('a meeting record', () => {
  it('is written in the meeting, attended as LiveKit reports, and the same for the team and the network', async () => {
    const pat = joinOf('practitioner');
    const author: Author = { id: pat.participantId, name: 'Pat Practitioner', role: 'practitioner' };
    const meetingDoc = connectDocClient(server.url, pat.sync);
    const networkDoc = connectDocClient(server.url, pat.networkSync);
    await Promise.all([meetingDoc.synced, networkDoc.synced]);
    for (const line of NOTES) meetingDoc.addParagraph(line);
    addReflection(meetingDoc.doc, author, REFLECTION, new Date('2026-01-05T10:20:00.000Z'));
    const mention = { meetingId: seeded.meetingId, meetingTitle: 'Network meeting', at: '2026-01-05T10:05:00.000Z' };
    const questionId = addQuestion(networkDoc.doc, QUESTION, author, mention);
    if (!questionId) throw new Error('question not added');
    decideQuestion(networkDoc.doc, questionId, { text: DECISION, by: author, present: ['Pat Practitioner', 'Maria'], meeting: mention });
    await waitUntilStored(meetingDoc.provider, networkDoc.provider);
    meetingDoc.destroy();
    networkDoc.destroy();

    const start = new Date('2026-01-05T10:00:00.000Z');
    await sendParticipantWebhook(server.url, 'participant_joined', seeded.meetingId, pat.participantId, start);
    await sendParticipantWebhook(server.url, 'participant_joined', seeded.meetingId, joinOf('network member').participantId, new Date(start.getTime() + 60_000));
    await sendParticipantWebhook(server.url, 'participant_left', seeded.meetingId, joinOf('network member').participantId, new Date(start.getTime() + 40 * 60_000));

    await vi.waitFor(async () => {
      const record = await recordAs('practitioner');
      expect(record.notes.map((b) => b.text)).toEqual(NOTES);
      expect(record.decisions).toHaveLength(1);
    });
    const forTeam = await recordAs('practitioner');
    expect(forTeam.reflections).toEqual([{ author: 'Pat Practitioner', role: 'practitioner', text: REFLECTION, writtenAt: '2026-01-05T10:20:00.000Z' }]);
    expect(forTeam.questions.map((q) => q.title)).toEqual([QUESTION]);
    expect(forTeam.decisions[0]).toMatchObject({ question: QUESTION, text: DECISION, decidedBy: 'Pat Practitioner', present: ['Pat Practitioner', 'Maria'] });
    expect(forTeam.attendees).toEqual([
      // Pat is still in: present up to now, with no last leave yet.
      { name: 'Pat Practitioner', role: 'practitioner', firstJoinedAt: start.toISOString(), totalMinutes: expect.any(Number) as number, stays: [{ joinedAt: start.toISOString() }] },
      {
        name: 'Maria',
        role: 'network_member',
        firstJoinedAt: '2026-01-05T10:01:00.000Z',
        lastLeftAt: '2026-01-05T10:40:00.000Z',
        totalMinutes: 39,
        stays: [{ joinedAt: '2026-01-05T10:01:00.000Z', leftAt: '2026-01-05T10:40:00.000Z' }],
      },
    ]);
    expect(forTeam.sealed).toBe(false);
    // Nothing more and nothing less for the network.
    expect(await recordAs('network member')).toEqual(forTeam);
  });

  it('refuses an addendum before the meeting has ended', async () => {
    const res = await session('network member').request('POST', `/api/meetings/${seeded.meetingId}/addenda`, { text: 'Too early' });
    expect(res.status).toBe(409);
  });
});

describe('sealing on end', () => {
  it('closes every open socket on the meeting document, for every role, when a practitioner ends it', async () => {
    const clients = [...joined.entries()].map(([role, j]) => ({ role, client: connectDocClient(server.url, j.sync), closes: [] as number[] }));
    await Promise.all(clients.map((c) => c.client.synced));
    for (const c of clients) c.client.provider.on('connection-close', (event: CloseEvent | null) => event && c.closes.push(event.code));

    const ended = await session('practitioner').request('POST', `/api/meetings/${seeded.meetingId}/end`, {});
    expect(ended.status).toBe(200);
    for (const c of clients) await vi.waitFor(() => expect(c.closes, c.role).toContain(SYNC_CLOSE.forbidden));
    for (const c of clients) c.client.destroy();
    expect((await recordAs('practitioner')).sealed).toBe(true);
  });

  it('keeps the first end time when the meeting is ended a second time', async () => {
    const first = await recordAs('practitioner');
    expect(first.endedAt).toBeDefined();
    const again = await session('peer worker').request('POST', `/api/meetings/${seeded.meetingId}/end`, {});
    expect(again.status).toBe(200);
    expect((await recordAs('practitioner')).endedAt).toBe(first.endedAt);
  });

  it.each(['admin', 'practitioner', 'peer worker', 'network member', 'interpreter'] as Role[])(
    'refuses the %s’s read-write ticket afterwards, before any document byte',
    async (role) => {
      expect(await closeCodeOf(server.url, joinOf(role).sync)).toBe(SYNC_CLOSE.forbidden);
    },
  );

  it('also seals a meeting ended with the ops CLI while the server runs', async () => {
    const meetingId = idOf(await cli(server.dataDir, ['meeting', 'create', '--network', seeded.networkId, '--at', new Date().toISOString()]));
    const member = JoinMeetingResponse.parse(await session('network member').json('POST', `/api/meetings/${meetingId}/join`, { displayName: 'Maria' }));
    const client = connectDocClient(server.url, member.sync);
    await client.synced;
    const closes: number[] = [];
    client.provider.on('connection-close', (event: CloseEvent | null) => event && closes.push(event.code));
    expect(await cli(server.dataDir, ['meeting', 'end', '--meeting', meetingId])).toEqual({ id: meetingId, status: 'ended' });
    await vi.waitFor(() => expect(closes).toContain(SYNC_CLOSE.forbidden), { timeout: 10_000 });
    client.destroy();
    expect(await closeCodeOf(server.url, member.sync)).toBe(SYNC_CLOSE.forbidden);
  });

  it('refuses joining the ended meeting again', async () => {
    for (const role of sessions.keys()) {
      expect((await session(role).request('POST', `/api/meetings/${seeded.meetingId}/join`, { displayName: JOIN_NAMES[role] })).status, role).toBe(409);
    }
  });

  it('lets every role read the sealed document read-only, and drops whatever they send', async () => {
    const before = await recordAs('practitioner');
    const signer = createTicketSigner(loadOrCreateServerSecret(server.dataDir));
    for (const [role, j] of joined) {
      const verified = signer.verify(j.sync.ticket);
      if (!verified.ok) throw new Error(`${role}'s ticket did not verify: ${verified.reason}`);
      const subject = verified.claims.subject;
      const readOnly: SyncAccess = { ...j.sync, ticket: signer.sign({ docName: j.sync.docName, mode: 'read-only', subject, expiresAt: Date.now() + 60_000 }) };
      const client = connectDocClient(server.url, readOnly);
      await client.synced;
      expect(client.text(), role).toBe(NOTES.join('\n'));
      client.addParagraph(`written after the end by ${role}`);
      await flushedThroughServer(client.provider);
      client.destroy();
    }
    const after = await recordAs('practitioner');
    expect(after.notes).toEqual(before.notes);
    expect(after.reflections).toEqual(before.reflections);
  });

  it('takes addenda from the team and the network, after the sealed content, with author and time', async () => {
    const byMember = await session('network member').json('POST', `/api/meetings/${seeded.meetingId}/addenda`, { text: 'I remembered: Alex ate well on Sunday.' });
    expect(MeetingRecord.parse(byMember['record']).addenda).toHaveLength(1);
    await session('peer worker').json('POST', `/api/meetings/${seeded.meetingId}/addenda`, { text: 'Spoke with the GP afterwards.' });
    const record = await recordAs('interpreter');
    expect(record.addenda.map((a) => [a.authorName, a.authorRole, a.text])).toEqual([
      ['Maria', 'network_member', 'I remembered: Alex ate well on Sunday.'],
      ['Pia Peer', 'peer_worker', 'Spoke with the GP afterwards.'],
    ]);
    expect(record.notes.map((b) => b.text)).toEqual(NOTES);
    const bad = await session('network member').request('POST', `/api/meetings/${seeded.meetingId}/addenda`, { text: '   ' });
    expect(bad.status).toBe(400);
  });
});

describe('exporting the progress note', () => {
  it('writes Markdown with date, duration, attendees, notes, reflections, questions and decisions with who was present', async () => {
    const res = await session('practitioner').request('GET', `/api/meetings/${seeded.meetingId}/export?format=md`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/markdown');
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="progress-note-/);
    const markdown = await res.text();
    const record = await recordAs('practitioner');
    const sections = ['## Who attended', '## Notes', '## Reflections', '## Open questions discussed', '## Decisions', '## Addenda'];
    const at = sections.map((s) => markdown.indexOf(s));
    expect(at.every((i) => i > 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    // Times in the network's own zone (here the server's, as none was chosen), with the zone named.
    const when = (iso: string) => recordTime(iso, record.timeZone);
    expect(markdown).toContain(`- Date: ${when(record.startedAt ?? '')}`);
    expect(markdown).toContain(`- Duration: ${record.durationMinutes} minutes`);
    expect(markdown).toContain(`- Pat Practitioner (practitioner), joined ${when('2026-01-05T10:00:00.000Z')}`);
    expect(markdown).toContain(`- Maria (network member), joined ${when('2026-01-05T10:01:00.000Z')}, left ${when('2026-01-05T10:40:00.000Z')}`);
    for (const line of NOTES) expect(markdown).toContain(`\n${line}\n`);
    expect(markdown).toContain(REFLECTION);
    expect(markdown).toContain(`${QUESTION} (decided)`);
    expect(markdown).toContain(`${QUESTION}: ${DECISION}`);
    expect(markdown).toContain('Present: Pat Practitioner, Maria');
    expect(markdown.indexOf('Spoke with the GP afterwards.')).toBeGreaterThan(markdown.indexOf('## Addenda'));
  });

  it('is audited, and the same for the network members through their link', async () => {
    const forMember = await session('network member').request('GET', `/api/meetings/${seeded.meetingId}/export?format=md`);
    expect(forMember.status).toBe(200);
    expect(await forMember.text()).toBe(await (await session('practitioner').request('GET', `/api/meetings/${seeded.meetingId}/export?format=md`)).text());
    expect((await session('practitioner').request('GET', `/api/meetings/${seeded.meetingId}/export?format=doc`)).status).toBe(400);
    const audit = JSON.stringify(await session('admin').json('GET', `/api/audit?networkId=${seeded.networkId}&limit=1000`));
    expect(audit).toContain('"action":"export"');
    expect(audit).not.toContain(NOTES[0]);
  });

  it('is the same through the ops CLI, written to a file', async () => {
    const out = `${server.dataDir}/../record-${seeded.meetingId}.md`;
    const answer = await cli(server.dataDir, ['meeting', 'export', '--meeting', seeded.meetingId, '--format', 'md', '--out', out]);
    expect(answer).toMatchObject({ format: 'md' });
    const viaApi = await (await session('practitioner').request('GET', `/api/meetings/${seeded.meetingId}/export?format=md`)).text();
    expect(readFileSync(String(answer['out']), 'utf8')).toBe(viaApi);
    const { rmSync } = await import('node:fs');
    rmSync(String(answer['out']));
  });
});

async function recordAs(role: Role): Promise<MeetingRecord> {
  return MeetingRecord.parse((await session(role).json('GET', `/api/meetings/${seeded.meetingId}/record`))['record']);
}

/**
 * Resolves once the server has answered a round trip sent after our updates: the server handles a
 * connection's messages in order and persists each update before it handles the next message.
 */
async function flushedThroughServer(provider: { ws: WebSocket | null }): Promise<void> {
  await waitUntilStored(provider);
}

