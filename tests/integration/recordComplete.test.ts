import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { JoinMeetingResponse } from '../../shared/api/meetings.ts';
import { MeetingRecord } from '../../shared/api/records.ts';
import { recordTime } from '../../shared/api/timeZone.ts';
import { readChat, sendChatMessage } from '../../shared/doc/chat.ts';
import type { Author } from '../../shared/doc/entries.ts';
import { addPerson, connectPeople, readNetworkMap } from '../../shared/doc/networkMap.ts';
import { addQuestion, decideQuestion, readQuestions, setView } from '../../shared/doc/questions.ts';
import { addReflectionAnswer, readReflectionAnswers } from '../../shared/doc/reflectionAnswers.ts';
import { addReflection } from '../../shared/doc/reflections.ts';
import { connectDocClient } from '../helpers/docClient.ts';
import { HttpSession } from '../helpers/httpSession.ts';
import { addUser, PASSWORD, seedNetwork, type SeededNetwork } from '../helpers/seed.ts';
import { startServerProcess, type ServerProcess } from '../helpers/serverProcess.ts';
import { externalLiveKitEnv, sendParticipantWebhook } from './helpers/recordFixtures.ts';
import { waitUntilStored } from '../helpers/docClient.ts';

/** Far from the server's zone (UTC here), and with a date line near: a time in UTC would show. */
const ZONE = 'Pacific/Auckland';
const START = new Date('2026-01-05T10:00:00.000Z'); // 23:00 on 5 January in Auckland
const minutes = (n: number) => new Date(START.getTime() + n * 60_000);

let server: ServerProcess;
let seeded: SeededNetwork;
let pat: HttpSession;
let maria: HttpSession;
let stranger: HttpSession;
let patJoin: JoinMeetingResponse;
let mariaJoin: JoinMeetingResponse;
/** What was written in the live meeting, read back from the live documents before the meeting ended. */
let live: {
  chat: { author: string; text: string; sentAt: string }[];
  answers: { author: string; text: string; writtenAt: string }[];
  views: { author: string; text: string; writtenAt: string }[];
  mapNames: string[];
};

beforeAll(async () => {
  server = await startServerProcess({ env: await externalLiveKitEnv() });
  await addUser(server.dataDir, 'pat@team.org', { name: 'Pat Practitioner' });
  seeded = await seedNetwork(server.dataDir, { team: ['pat@team.org'], personName: 'Alex', memberName: 'Maria' });
  pat = new HttpSession(server.url);
  await pat.login('pat@team.org', PASSWORD);
  maria = HttpSession.forInvite(server.url, seeded.inviteUrl);
  stranger = HttpSession.forInvite(server.url, await anotherNetworksInvite(pat));
  patJoin = JoinMeetingResponse.parse(await pat.json('POST', `/api/meetings/${seeded.meetingId}/join`, { displayName: 'Pat' }));
  mariaJoin = JoinMeetingResponse.parse(await maria.json('POST', `/api/meetings/${seeded.meetingId}/join`, { displayName: 'Maria' }));
}, 120_000);
afterAll(async () => server?.dispose());

describe("a network's time zone", () => {
  it('is validated at the boundary and set by the team only', async () => {
    expect((await pat.request('PUT', `/api/networks/${seeded.networkId}/time-zone`, { timeZone: 'Mars/Olympus_Mons' })).status).toBe(400);
    expect((await pat.request('PUT', `/api/networks/${seeded.networkId}/time-zone`, { timeZone: 'x'.repeat(500) })).status).toBe(400);
    expect((await maria.request('PUT', `/api/networks/${seeded.networkId}/time-zone`, { timeZone: ZONE })).status).toBe(403);
    const set = await pat.json('PUT', `/api/networks/${seeded.networkId}/time-zone`, { timeZone: ZONE });
    expect(set['network']).toMatchObject({ id: seeded.networkId, timeZone: ZONE });
    expect((await pat.json('GET', `/api/networks/${seeded.networkId}`))['network']).toMatchObject({ timeZone: ZONE });
  });

  it('is given when a network is opened, and refused when unknown', async () => {
    const made = await pat.json('POST', '/api/networks', { personName: 'Sol', referredAt: START.toISOString(), timeZone: 'Europe/Oslo' });
    expect(made['network']).toMatchObject({ timeZone: 'Europe/Oslo' });
    expect((await pat.request('POST', '/api/networks', { personName: 'Sol', referredAt: START.toISOString(), timeZone: 'Nowhere/Special' })).status).toBe(400);
  });
});

describe('the complete record', () => {
  it('holds what the live meeting held: chat, answers to the reflections, views, the map, each stay', async () => {
    const patAuthor: Author = { id: patJoin.participantId, name: 'Pat Practitioner', role: 'practitioner' };
    const mariaAuthor: Author = { id: mariaJoin.participantId, name: 'Maria', role: 'network_member' };
    const patMeeting = connectDocClient(server.url, patJoin.sync);
    const mariaMeeting = connectDocClient(server.url, mariaJoin.sync);
    const patNetwork = connectDocClient(server.url, patJoin.networkSync);
    const mariaNetwork = connectDocClient(server.url, mariaJoin.networkSync);
    const all = [patMeeting, mariaMeeting, patNetwork, mariaNetwork];
    await Promise.all(all.map((c) => c.synced));

    patMeeting.addParagraph('Alex slept better since Tuesday.');
    sendChatMessage(patMeeting.doc, patAuthor, 'Can everyone hear me?', minutes(1));
    sendChatMessage(mariaMeeting.doc, mariaAuthor, 'Yes, loud and clear <3 & *thanks*', minutes(2));
    addReflection(patMeeting.doc, patAuthor, 'I noticed how much calmer the kitchen sounded today.', minutes(30));
    addReflectionAnswer(mariaMeeting.doc, mariaAuthor, 'We felt heard. The kitchen really is calmer.', minutes(35));
    const gran = addPerson(patNetwork.doc, { name: 'Gran', relationship: 'grandmother', closeness: 1 });
    const sam = addPerson(mariaNetwork.doc, { name: 'Sam <Neighbour>', relationship: 'next door', closeness: 3 });
    await waitUntilStored(patNetwork.provider, mariaNetwork.provider);
    if (!gran || !sam) throw new Error('map not written');
    await vi.waitFor(() => expect(readNetworkMap(patNetwork.doc).people).toHaveLength(2));
    connectPeople(patNetwork.doc, gran, sam);
    const mention = { meetingId: seeded.meetingId, meetingTitle: 'Network meeting', at: minutes(5).toISOString() };
    const question = addQuestion(patNetwork.doc, 'Should the medication be reduced?', patAuthor, mention);
    if (!question) throw new Error('question not added');
    const decided = addQuestion(patNetwork.doc, 'Who drives Alex on Fridays?', patAuthor, mention);
    if (!decided) throw new Error('question not added');
    await waitUntilStored(patNetwork.provider);
    await vi.waitFor(() => expect(readQuestions(mariaNetwork.doc)).toHaveLength(2));
    setView(patNetwork.doc, question, { text: 'Not before the next review.', by: patAuthor, meeting: mention, now: minutes(10) });
    setView(mariaNetwork.doc, question, { text: 'I would like to try a lower dose.', by: mariaAuthor, meeting: mention, now: minutes(11) });
    decideQuestion(patNetwork.doc, decided, { text: 'Maria drives, Sam covers when she cannot.', by: patAuthor, present: ['Pat Practitioner', 'Maria'], meeting: mention });
    await waitUntilStored(...all.map((c) => c.provider));
    await vi.waitFor(() => expect(readQuestions(patNetwork.doc).find((q) => q.id === question)?.views).toHaveLength(2));

    // The live content, as the participants' own clients see it: what the record is compared with.
    live = {
      // In the order written (two screens writing at once leave the shared list in an order of Yjs's choosing).
      chat: readChat(mariaMeeting.doc)
        .map((m) => ({ author: m.author.name, text: m.text, sentAt: m.sentAt }))
        .sort((a, b) => a.sentAt.localeCompare(b.sentAt)),
      answers: readReflectionAnswers(patMeeting.doc).map((a) => ({ author: a.author.name, text: a.text, writtenAt: a.writtenAt })),
      views: (readQuestions(mariaNetwork.doc).find((q) => q.id === question)?.views ?? []).map((v) => ({ author: v.author.name, text: v.text, writtenAt: v.writtenAt })),
      mapNames: readNetworkMap(mariaNetwork.doc).people.map((p) => p.name),
    };
    expect(live.chat).toHaveLength(2);
    expect(live.answers).toHaveLength(1);
    expect(live.views).toHaveLength(2);
    for (const c of all) c.destroy();

    // Pat is in throughout; Maria drops out for five minutes and comes back.
    await sendParticipantWebhook(server.url, 'participant_joined', seeded.meetingId, patJoin.participantId, START);
    await sendParticipantWebhook(server.url, 'participant_joined', seeded.meetingId, mariaJoin.participantId, minutes(1));
    await sendParticipantWebhook(server.url, 'participant_left', seeded.meetingId, mariaJoin.participantId, minutes(20));
    await sendParticipantWebhook(server.url, 'participant_joined', seeded.meetingId, mariaJoin.participantId, minutes(25));
    await sendParticipantWebhook(server.url, 'participant_left', seeded.meetingId, mariaJoin.participantId, minutes(50));
    await sendParticipantWebhook(server.url, 'participant_left', seeded.meetingId, patJoin.participantId, minutes(55));
    expect((await pat.request('POST', `/api/meetings/${seeded.meetingId}/end`, {})).status).toBe(200);

    const record = await recordAs(maria);
    expect(record.sealed).toBe(true);
    expect(record.timeZone).toBe(ZONE);
    expect(record.chat.map((c) => ({ author: c.author, text: c.text, sentAt: c.writtenAt }))).toEqual(live.chat);
    expect(record.reflectionAnswers.map((a) => ({ author: a.author, text: a.text, writtenAt: a.writtenAt }))).toEqual(live.answers);
    const withViews = record.questions.find((q) => q.id === question);
    expect(withViews?.views.map((v) => ({ author: v.author, text: v.text, writtenAt: v.writtenAt }))).toEqual(live.views);
    expect(record.networkMap?.people.map((p) => p.name)).toEqual(live.mapNames);
    expect(record.networkMap?.connections).toHaveLength(1);
    expect(record.networkMap?.svg).toContain('Sam &lt;Neighbour&gt;');
    expect(record.networkMap?.svg).not.toContain('<Neighbour>');
    expect(record.attendees.find((a) => a.name === 'Maria')?.stays).toEqual([
      { joinedAt: minutes(1).toISOString(), leftAt: minutes(20).toISOString() },
      { joinedAt: minutes(25).toISOString(), leftAt: minutes(50).toISOString() },
    ]);
    expect(record.decisions[0]).toMatchObject({ question: 'Who drives Alex on Fridays?', present: ['Pat Practitioner', 'Maria'] });
    expect(await recordAs(pat)).toEqual(record);
  });

  it('gives the same Markdown to the team and to the family, with every part in the network’s time zone', async () => {
    const forTeam = await exportAs(pat, 'md');
    const forFamily = await exportAs(maria, 'md');
    expect(forFamily.status).toBe(200);
    const markdown = new TextDecoder().decode(forTeam.body);
    expect(new TextDecoder().decode(forFamily.body)).toBe(markdown);
    const at = (iso: string) => recordTime(iso, ZONE);
    expect(at(START.toISOString())).toBe('2026-01-05 23:00 (Pacific/Auckland)');
    expect(markdown).toContain(`- Times: in the network's time zone, ${ZONE}`);
    expect(markdown).not.toMatch(/\bUTC\b/);
    // Attendance with each stay.
    expect(markdown).toContain(`Maria (network member), joined ${at(minutes(1).toISOString())}, left ${at(minutes(50).toISOString())}, 44 min present; in the meeting from ${at(minutes(1).toISOString())} to ${at(minutes(20).toISOString())}, from ${at(minutes(25).toISOString())} to ${at(minutes(50).toISOString())}`);
    expect(markdown).toContain(`Pat Practitioner (practitioner), joined ${at(START.toISOString())}, left ${at(minutes(55).toISOString())}`);
    // Chat lines, exactly as sent, with author and time (Markdown characters escaped, not lost).
    expect(markdown).toContain(`## Chat\n\n- Pat Practitioner (practitioner, ${at(live.chat[0]?.sentAt ?? '')}): Can everyone hear me?`);
    expect(markdown).toContain(`- Maria (network member, ${at(live.chat[1]?.sentAt ?? '')}): Yes, loud and clear \\<3 & \\*thanks\\*`);
    // Reflections, then the network's answers to them.
    const reflections = markdown.indexOf('## Reflections');
    const answers = markdown.indexOf('## What the network made of the reflections');
    expect(answers).toBeGreaterThan(reflections);
    expect(markdown.slice(answers)).toContain(`- Maria (network member, ${at(live.answers[0]?.writtenAt ?? '')}): We felt heard. The kitchen really is calmer.`);
    // Each person's view on the open question.
    for (const v of live.views) expect(markdown).toContain(`  - View of ${v.author} (`);
    expect(markdown).toContain(`View of Maria (network member, ${at(live.views[1]?.writtenAt ?? '')}): I would like to try a lower dose.`);
    expect(markdown).toContain('Present: Pat Practitioner, Maria');
    // The map in words (the drawing is in the PDF): who is on it, how close, connected with whom.
    expect(markdown).toContain('## Network map\n\nAt the centre: Alex');
    expect(markdown).not.toMatch(/\]\(|!\[/);
    expect(markdown).toContain('- Gran (grandmother, very close), connected with Sam \\<Neighbour\\>');
  });

  it('gives the same PDF to the family, with the chat, the answers, the views, the times and the map drawn on the page', async () => {
    const pdf = await exportAs(maria, 'pdf');
    expect(pdf.status).toBe(200);
    expect(pdf.contentType).toBe('application/pdf');
    const dir = mkdtempSync(join(tmpdir(), 'record-pdf-'));
    try {
      const file = join(dir, 'note.pdf');
      writeFileSync(file, pdf.body);
      const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
      const at = (iso: string) => recordTime(iso, ZONE);
      for (const c of live.chat) expect(text).toContain(c.text);
      expect(text).toContain(at(live.chat[0]?.sentAt ?? ''));
      for (const a of live.answers) expect(text).toContain(a.text);
      for (const v of live.views) expect(text).toContain(v.text);
      expect(text).toContain(`from ${at(minutes(25).toISOString())} to ${at(minutes(50).toISOString())}`);
      expect(text).toContain('What the network made of the reflections');
      // The map's labels are real text on the page (drawn in the SVG), as well as in the list under it.
      for (const name of live.mapNames) expect(text.split(name).length - 1, name).toBeGreaterThanOrEqual(2);
      expect(text).toContain('very close');
      // And the map is drawn: the page carries the map's fills and strokes, which no text on it uses.
      const colours = drawnColours(file, dir);
      expect(colours.has('dce8f8') || colours.has('dde8f8'), 'a person’s circle').toBe(true);
      expect(colours.has('b9d0f0') || colours.has('bad0f0'), 'a very close person’s circle').toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('is kept from anyone outside the network', async () => {
    expect((await stranger.request('GET', `/api/meetings/${seeded.meetingId}/export?format=md`)).status).toBe(403);
    expect((await stranger.request('GET', `/api/meetings/${seeded.meetingId}/export?format=pdf`)).status).toBe(403);
    expect((await stranger.request('GET', `/api/meetings/${seeded.meetingId}/record`)).status).toBe(403);
    expect((await new HttpSession(server.url).request('GET', `/api/meetings/${seeded.meetingId}/export?format=md`)).status).toBe(401);
  });
});

/** The invite link of a member of another network (Pat opens it over the API: quicker than the CLI). */
async function anotherNetworksInvite(team: HttpSession): Promise<string> {
  const network = (await team.json('POST', '/api/networks', { personName: 'Kim', referredAt: START.toISOString() }))['network'] as { id: string };
  const member = (await team.json('POST', `/api/networks/${network.id}/members`, { name: 'Lee', relationship: 'friend' }))['member'] as { id: string };
  const invite = await team.json('POST', `/api/networks/${network.id}/members/${member.id}/invites`, {});
  return String(invite['url']);
}

async function recordAs(session: HttpSession): Promise<MeetingRecord> {
  return MeetingRecord.parse((await session.json('GET', `/api/meetings/${seeded.meetingId}/record`))['record']);
}

async function exportAs(session: HttpSession, format: 'md' | 'pdf') {
  const res = await session.request('GET', `/api/meetings/${seeded.meetingId}/export?format=${format}`);
  return { status: res.status, contentType: res.headers.get('content-type'), body: new Uint8Array(await res.arrayBuffer()) };
}

/** Every colour on the PDF's pages, as `rrggbb`, from a rendering of them (pdftoppm, PPM). */
function drawnColours(pdf: string, dir: string): Set<string> {
  execFileSync('pdftoppm', ['-r', '40', pdf, join(dir, 'page')]);
  const colours = new Set<string>();
  for (const name of execFileSync('ls', [dir], { encoding: 'utf8' }).split('\n').filter((n) => n.endsWith('.ppm'))) {
    const bytes = readFileSync(join(dir, name));
    // P6 header: magic, width, height, max value, each followed by whitespace; then RGB triples.
    const header = bytes.subarray(0, 64).toString('latin1');
    const match = /^P6\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(header);
    if (!match) continue;
    for (let i = match[0].length; i + 2 < bytes.length; i += 3) {
      colours.add(((bytes[i] ?? 0) * 65536 + (bytes[i + 1] ?? 0) * 256 + (bytes[i + 2] ?? 0)).toString(16).padStart(6, '0'));
    }
  }
  return colours;
}
