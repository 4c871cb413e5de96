import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { JoinMeetingResponse } from '../../shared/api/meetings.ts';
import { ContinuityResponse, MeetingRecord } from '../../shared/api/records.ts';
import type { Author } from '../../shared/doc/entries.ts';
import { addQuestion, decideQuestion, markDiscussed } from '../../shared/doc/questions.ts';
import { getQuestions, notesPlainText } from '../../shared/doc/schema.ts';
import { meetingDocName } from '../../shared/media/rooms.ts';
import { SYNC_CLOSE, SYNC_CLOSE_REASON } from '../../shared/protocol/sync.ts';
import { DATABASE_FILE } from '../../server/store/database.ts';
import { cli, idOf } from '../helpers/cli.ts';
import { connectDocClient, waitUntilStored } from '../helpers/docClient.ts';
import { HttpSession } from '../helpers/httpSession.ts';
import { addUser, PASSWORD, seedNetwork, type SeededNetwork } from '../helpers/seed.ts';
import { startServerProcess, type ServerProcess } from '../helpers/serverProcess.ts';
import { externalLiveKitEnv, sendParticipantWebhook } from './helpers/recordFixtures.ts';

/**
 * Sealed means sealed: what an ended meeting's record shows is fixed at its end. Written to with stock
 * y-websocket clients (not the app's UI), as anyone holding a ticket could.
 */
const run = promisify(execFile);
let server: ServerProcess;
let seeded: SeededNetwork;
let pat: HttpSession;
let sam: HttpSession;

beforeAll(async () => {
  server = await startServerProcess({ env: await externalLiveKitEnv() });
  await addUser(server.dataDir, 'pat@team.org', { name: 'Pat Practitioner' });
  seeded = await seedNetwork(server.dataDir, { team: ['pat@team.org'], personName: 'Alex', memberName: 'Maria' });
  pat = new HttpSession(server.url);
  await pat.login('pat@team.org', PASSWORD);
  sam = HttpSession.forInvite(server.url, seeded.inviteUrl);
});
afterAll(async () => server?.dispose());

const join_ = async (session: HttpSession, meetingId: string, name: string) =>
  JoinMeetingResponse.parse(await session.json('POST', `/api/meetings/${meetingId}/join`, { displayName: name }));
const recordOf = async (meetingId: string) => MeetingRecord.parse((await pat.json('GET', `/api/meetings/${meetingId}/record`))['record']);

async function exportsOf(meetingId: string): Promise<{ markdown: string; pdfText: string }> {
  const markdown = await (await pat.request('GET', `/api/meetings/${meetingId}/export?format=md`)).text();
  const pdf = await pat.request('GET', `/api/meetings/${meetingId}/export?format=pdf`);
  expect(pdf.status).toBe(200);
  const dir = mkdtempSync(join(tmpdir(), 'polyphony-sealed-'));
  try {
    writeFileSync(join(dir, 'note.pdf'), new Uint8Array(await pdf.arrayBuffer()));
    const { stdout } = await run('pdftotext', ['-layout', join(dir, 'note.pdf'), '-']);
    return { markdown, pdfText: stdout };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('a sealed record (regression: questions and decisions were read live from the network document)', () => {
  it('stays as it was at the end when the network document and the video attendance change afterwards', async () => {
    const patIn = await join_(pat, seeded.meetingId, 'Pat');
    const samIn = await join_(sam, seeded.meetingId, 'Maria');
    const patAuthor: Author = { id: patIn.participantId, name: 'Pat Practitioner', role: 'practitioner' };
    const mention = { meetingId: seeded.meetingId, meetingTitle: 'Network meeting', at: new Date().toISOString() };
    const notes = connectDocClient(server.url, patIn.sync);
    const network = connectDocClient(server.url, patIn.networkSync);
    await Promise.all([notes.synced, network.synced]);
    notes.addParagraph('Alex slept better since Tuesday.');
    const question = addQuestion(network.doc, 'Should the medication be reduced?', patAuthor, mention);
    if (!question) throw new Error('no question');
    decideQuestion(network.doc, question, { text: 'Keep the dose for one more week.', by: patAuthor, present: ['Pat Practitioner', 'Maria'], meeting: mention });
    const other = addQuestion(network.doc, 'Who drives on Fridays?', patAuthor, { ...mention, meetingId: 'another-meeting' });
    await Promise.all([waitUntilStored(notes.provider), waitUntilStored(network.provider)]);
    notes.destroy();
    network.destroy();
    const start = Date.now() - 30 * 60_000;
    await sendParticipantWebhook(server.url, 'participant_joined', seeded.meetingId, patIn.participantId, new Date(start));
    await sendParticipantWebhook(server.url, 'participant_joined', seeded.meetingId, samIn.participantId, new Date(start + 60_000));
    await sendParticipantWebhook(server.url, 'participant_left', seeded.meetingId, samIn.participantId, new Date(start + 20 * 60_000));

    expect((await pat.request('POST', `/api/meetings/${seeded.meetingId}/end`, {})).status).toBe(200);
    const sealed = await recordOf(seeded.meetingId);
    expect(sealed.decisions.map((d) => d.text)).toEqual(['Keep the dose for one more week.']);
    expect(sealed.attendees.map((a) => a.name)).toEqual(['Pat Practitioner', 'Maria']);
    const exported = await exportsOf(seeded.meetingId);
    expect(exported.pdfText).toContain('Keep the dose for one more week.');

    // A network member, whose network ticket still works (that document is never sealed), rewrites history
    // under their own name (one written as the practitioner is refused outright: recordAuthors.test.ts):
    // renames the decided question, adds a decision to the ended meeting, and drags another question into it.
    const samAuthor: Author = { id: samIn.participantId, name: 'Maria', role: 'network_member' };
    const forger = connectDocClient(server.url, samIn.networkSync);
    await forger.synced;
    const forgedMention = { ...mention, at: new Date().toISOString() };
    forger.doc.transact(() => (getQuestions(forger.doc).get(question) as Y.Map<unknown>).set('title', 'Should all contact stop?'));
    const forged = addQuestion(forger.doc, 'Contact with the family', samAuthor, forgedMention);
    if (!forged || !other) throw new Error('no question');
    decideQuestion(forger.doc, forged, { text: 'The family agreed to stop all contact.', by: samAuthor, present: ['Pat Practitioner'], meeting: forgedMention });
    markDiscussed(forger.doc, other, forgedMention);
    await waitUntilStored(forger.provider);
    forger.destroy();
    // Someone rejoins the video after the end (LiveKit reports it, signed).
    await sendParticipantWebhook(server.url, 'participant_joined', seeded.meetingId, samIn.participantId, new Date(Date.now() + 1_000));

    // The writes landed: the network's own page shows them...
    const continuity = ContinuityResponse.parse(await pat.json('GET', `/api/networks/${seeded.networkId}/continuity`));
    expect(continuity.questions.map((q) => q.title)).toContain('Contact with the family');
    // ...and the sealed record and both exports do not.
    expect(await recordOf(seeded.meetingId)).toEqual(sealed);
    const after = await exportsOf(seeded.meetingId);
    expect(after.markdown).toBe(exported.markdown);
    expect(after.pdfText).toBe(exported.pdfText);
    expect(after.pdfText).not.toContain('stop all contact');
  });

  it('still takes addenda after the sealed content', async () => {
    const before = await recordOf(seeded.meetingId);
    await sam.json('POST', `/api/meetings/${seeded.meetingId}/addenda`, { text: 'Alex ate well on Sunday.' });
    const after = await recordOf(seeded.meetingId);
    expect(after.addenda.map((a) => [a.authorName, a.text])).toEqual([['Maria', 'Alex ate well on Sunday.']]);
    expect({ ...after, addenda: [] }).toEqual(before);
  });
});

describe('ending a meeting with the ops CLI while someone writes (regression: 32 more edits were stored after the end)', () => {
  it('stores nothing written after the end, and the record holds exactly what was stored', async () => {
    const meetingId = idOf(await cli(server.dataDir, ['meeting', 'create', '--network', seeded.networkId, '--at', new Date().toISOString()]));
    const joined = await join_(sam, meetingId, 'Maria');
    const writer = connectDocClient(server.url, joined.sync);
    await writer.synced;
    const closes: { code: number; reason: string }[] = [];
    writer.provider.on('connection-close', (event: CloseEvent | null) => event && closes.push({ code: event.code, reason: event.reason }));
    let phase: 'before' | 'after' = 'before';
    let written = 0;
    const typing = setInterval(() => writer.addParagraph(`${phase} ${++written}`), 5);
    try {
      await vi.waitFor(() => expect(written).toBeGreaterThan(50), { timeout: 10_000 });
      // The CLI runs as its own process on the same data directory, as an operator runs it.
      expect(await cli(server.dataDir, ['meeting', 'end', '--meeting', meetingId])).toEqual({ id: meetingId, status: 'ended' });
      // From here on every keystroke is after the end: the server may still hold the socket open for a moment.
      phase = 'after';
      const firstAfter = written + 1;
      // Bounds for a loaded machine, not timings: the server closes within a second when it is not.
      await vi.waitFor(() => expect(closes).toContainEqual({ code: SYNC_CLOSE.forbidden, reason: SYNC_CLOSE_REASON.meetingEnded }), { timeout: 30_000 });
      await vi.waitFor(() => expect(written).toBeGreaterThan(firstAfter + 20), { timeout: 10_000 });
    } finally {
      clearInterval(typing);
    }
    writer.destroy();

    const lines = notesPlainText(storedDoc(meetingDocName(meetingId))).split('\n');
    // What was stored before the end, in order and without a gap; nothing typed after it.
    expect(lines.length).toBeGreaterThan(10);
    expect(lines).toEqual(lines.map((_, index) => `before ${index + 1}`));
    expect(lines.length).toBeLessThan(written);
    const record = await recordOf(meetingId);
    expect(record.notes.map((b) => b.text)).toEqual(lines);
  });
});

/** The stored document, read from the database file as a restarted server would load it. */
function storedDoc(docName: string): Y.Doc {
  const db = new DatabaseSync(join(server.dataDir, DATABASE_FILE), { readOnly: true });
  try {
    const rows = db.prepare('SELECT data FROM doc_updates WHERE doc_name = ? ORDER BY seq').all(docName);
    const doc = new Y.Doc();
    for (const row of rows) Y.applyUpdate(doc, row['data'] as Uint8Array);
    return doc;
  } finally {
    db.close();
  }
}

