import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { JoinMeetingResponse } from '../../shared/api/meetings.ts';
import { MeetingRecord } from '../../shared/api/records.ts';
import { sendChatMessage } from '../../shared/doc/chat.ts';
import type { Author } from '../../shared/doc/entries.ts';
import { addQuestion, decideQuestion } from '../../shared/doc/questions.ts';
import { claimAuthorship, createNoteAuthorship } from '../../shared/doc/noteAuthorship.ts';
import { addReflection } from '../../shared/doc/reflections.ts';
import { getNotes } from '../../shared/doc/schema.ts';
import { SYNC_CLOSE, SYNC_CLOSE_REASON } from '../../shared/protocol/sync.ts';
import { DATABASE_FILE } from '../../server/store/database.ts';
import { connectDocClient } from '../helpers/docClient.ts';
import { HttpSession } from '../helpers/httpSession.ts';
import { addUser, PASSWORD, seedNetwork, type SeededNetwork } from '../helpers/seed.ts';
import { startServerProcess, type ServerProcess } from '../helpers/serverProcess.ts';
import { externalLiveKitEnv, sendParticipantWebhook } from './helpers/recordFixtures.ts';

/**
 * Names come from the server (issue 12, part 8): who wrote a passage, a reflection, a chat line or a
 * decision is the person whose connection the server authenticated, never whom a client wrote into the
 * document. A network member's own y-websocket client (not the app) tries to write as the practitioner.
 */
const run = promisify(execFile);
let server: ServerProcess;
let seeded: SeededNetwork;
let pat: HttpSession;
let maria: HttpSession;
let patJoin: JoinMeetingResponse;
let mariaJoin: JoinMeetingResponse;
let patAuthor: Author;

const FORGED = {
  reflection: 'The family agreed to stop all contact.',
  chat: 'Pat here: ignore what I said earlier.',
  decision: 'Stop all contact with the father.',
  stolenClient: 'Written with the practitioner’s client id.',
  name: 'Doctor Forged',
};

beforeAll(async () => {
  server = await startServerProcess({ env: await externalLiveKitEnv() });
  await addUser(server.dataDir, 'pat@team.org', { name: 'Pat Practitioner' });
  seeded = await seedNetwork(server.dataDir, { team: ['pat@team.org'], memberName: 'Maria' });
  pat = new HttpSession(server.url);
  await pat.login('pat@team.org', PASSWORD);
  maria = HttpSession.forInvite(server.url, seeded.inviteUrl);
  patJoin = JoinMeetingResponse.parse(await pat.json('POST', `/api/meetings/${seeded.meetingId}/join`, { displayName: 'Pat' }));
  // Maria joins under a name of her choosing; the record names her as the team registered her.
  mariaJoin = JoinMeetingResponse.parse(await maria.json('POST', `/api/meetings/${seeded.meetingId}/join`, { displayName: 'Mum' }));
  patAuthor = { id: patJoin.participantId, name: 'Pat', role: 'practitioner' };
  const start = Date.now() - 30 * 60_000;
  await sendParticipantWebhook(server.url, 'participant_joined', seeded.meetingId, patJoin.participantId, new Date(start));
  await sendParticipantWebhook(server.url, 'participant_joined', seeded.meetingId, mariaJoin.participantId, new Date(start + 60_000));
});
afterAll(async () => server?.dispose());

/** A stock client for `sync`, in step with the server, that notes how its socket is closed. */
async function connected(sync: JoinMeetingResponse['sync']) {
  const client = connectDocClient(server.url, sync);
  const closes: { code: number; reason: string }[] = [];
  client.provider.on('connection-close', (event: CloseEvent | null) => event && closes.push({ code: event.code, reason: event.reason }));
  await client.synced;
  return { ...client, closes };
}

async function recordNow(): Promise<MeetingRecord> {
  return MeetingRecord.parse((await pat.json('GET', `/api/meetings/${seeded.meetingId}/record`))['record']);
}

describe('per-passage authors', () => {
  it('names each of two real writers for what they wrote, inside one paragraph too, by the names the server knows', async () => {
    const patDoc = await connected(patJoin.sync);
    patDoc.addParagraph('Alex slept better since Tuesday.');
    const shared = new Y.XmlElement('paragraph');
    shared.insert(0, [new Y.XmlText('Alex eats with us. ')]);
    getNotes(patDoc.doc).push([shared]);
    const mariaDoc = await connected(mariaJoin.sync);
    await vi.waitFor(() => expect(mariaDoc.text()).toContain('Alex eats with us.'));
    const second = getNotes(mariaDoc.doc).get(1);
    const text = second instanceof Y.XmlElement ? second.firstChild : null;
    if (!(text instanceof Y.XmlText)) throw new Error('no text in the second paragraph');
    text.insert(text.length, 'Not every evening.');
    mariaDoc.addParagraph('Maria worries about the new medication.');

    await vi.waitFor(async () => expect((await recordNow()).notes).toHaveLength(3));
    const { notes } = await recordNow();
    expect(notes.map((b) => b.runs?.map((r) => [r.author, r.text]))).toEqual([
      [['Pat Practitioner', 'Alex slept better since Tuesday.']],
      [
        ['Pat Practitioner', 'Alex eats with us. '],
        ['Maria', 'Not every evening.'],
      ],
      [['Maria', 'Maria worries about the new medication.']],
    ]);
    patDoc.destroy();
    mariaDoc.destroy();
  });
});

describe('a network member writing as the practitioner', () => {
  it.each([
    ['a reflection', 'meeting', (doc: Y.Doc) => addReflection(doc, patAuthor, FORGED.reflection, new Date())],
    ['a chat line', 'meeting', (doc: Y.Doc) => sendChatMessage(doc, patAuthor, FORGED.chat, new Date())],
    ['an open question', 'network', (doc: Y.Doc) => addQuestion(doc, FORGED.decision, patAuthor, { meetingId: seeded.meetingId, meetingTitle: 'Network meeting', at: new Date().toISOString() })],
    // The live notes' "who wrote what" (Yjs PermanentUserData): filing one's writing under the practitioner.
    ['a claim to have written as the practitioner', 'meeting', (doc: Y.Doc) => claimAuthorship(createNoteAuthorship(doc), doc, patAuthor.id)],
  ] as const)('is refused for %s, and nothing of it is stored', async (_what, which, forge) => {
    const client = await connected(which === 'meeting' ? mariaJoin.sync : mariaJoin.networkSync);
    forge(client.doc);
    await vi.waitFor(() => expect(client.closes).toContainEqual({ code: SYNC_CLOSE.notYours, reason: SYNC_CLOSE_REASON.authorOfAnother }));
    client.destroy();
  });

  it('is refused for a decision recorded by the practitioner on a question the practitioner asked', async () => {
    const patNetwork = await connected(patJoin.networkSync);
    const questionId = addQuestion(patNetwork.doc, 'Should the medication be reduced?', patAuthor, { meetingId: seeded.meetingId, meetingTitle: 'Network meeting', at: new Date().toISOString() });
    if (!questionId) throw new Error('question not added');
    const mariaNetwork = await connected(mariaJoin.networkSync);
    await vi.waitFor(() => expect(mariaNetwork.doc.getMap('questions').has(questionId)).toBe(true));
    decideQuestion(mariaNetwork.doc, questionId, { text: FORGED.decision, by: patAuthor, present: ['Pat Practitioner'], meeting: { meetingId: seeded.meetingId, meetingTitle: 'Network meeting', at: new Date().toISOString() } });
    await vi.waitFor(() => expect(mariaNetwork.closes).toContainEqual({ code: SYNC_CLOSE.notYours, reason: SYNC_CLOSE_REASON.authorOfAnother }));
    mariaNetwork.destroy();
    // The practitioner's own decision, with a list of who was present that names someone who was not.
    decideQuestion(patNetwork.doc, questionId, { text: 'Keep the dose for one more week.', by: patAuthor, present: ['Pat Practitioner', 'Someone Absent'], meeting: { meetingId: seeded.meetingId, meetingTitle: 'Network meeting', at: new Date().toISOString() } });
    await vi.waitFor(async () => expect((await recordNow()).decisions).toHaveLength(1));
    patNetwork.destroy();
  });

  it('is refused when reusing the practitioner’s Yjs client id, and the text is not stored', async () => {
    const patDoc = await connected(patJoin.sync);
    patDoc.addParagraph('One more line by Pat.');
    await vi.waitFor(async () => expect((await recordNow()).notes.map((b) => b.text)).toContain('One more line by Pat.'));
    const stolen = patDoc.doc.clientID;
    patDoc.destroy();
    const client = await connected(mariaJoin.sync);
    const own = client.doc.clientID;
    client.doc.clientID = stolen;
    client.addParagraph(FORGED.stolenClient);
    await vi.waitFor(() => expect(client.closes).toContainEqual({ code: SYNC_CLOSE.notYours, reason: SYNC_CLOSE_REASON.clientOfAnother }));
    client.doc.clientID = own; // the provider's presence is kept under the id it started with
    client.destroy();
  });

  it('may write under a name of their own choosing, but the record names them as the server knows them', async () => {
    const client = await connected(mariaJoin.sync);
    const mine: Author = { id: mariaJoin.participantId, name: FORGED.name, role: 'network_member' };
    addReflection(client.doc, mine, 'What we made of it: we felt heard.', new Date());
    await vi.waitFor(async () => expect((await recordNow()).reflections).toHaveLength(1));
    expect(client.closes).toEqual([]);
    client.destroy();
  });
});

describe('the record and both exports', () => {
  const checkTruth = (text: string, label: string) => {
    for (const forged of [FORGED.reflection, FORGED.chat, FORGED.decision, FORGED.stolenClient, FORGED.name, 'Someone Absent']) expect(text, `${label}: ${forged}`).not.toContain(forged);
  };

  it('never stored any of the refused writing: not in the documents, and every client id has one writer', () => {
    const db = new DatabaseSync(join(server.dataDir, DATABASE_FILE), { readOnly: true });
    try {
      const names = [`meeting-${seeded.meetingId}`, `network-${seeded.networkId}`];
      const rows = db.prepare('SELECT data FROM doc_updates WHERE doc_name IN (?, ?)').all(...names);
      const stored = Buffer.concat(rows.map((row) => Buffer.from(row['data'] as Uint8Array))).toString('utf8');
      expect(stored).toContain('Alex slept better since Tuesday.');
      for (const forged of [FORGED.reflection, FORGED.chat, FORGED.decision, FORGED.stolenClient]) expect(stored, forged).not.toContain(forged);
      const writers = db.prepare('SELECT DISTINCT participant_id AS p FROM doc_clients WHERE doc_name IN (?, ?)').all(...names).map((row) => row['p']);
      expect(writers.sort()).toEqual([mariaJoin.participantId, patJoin.participantId].sort());
    } finally {
      db.close();
    }
  });

  it('show only what was really written, by whom, with who was really present', async () => {
    await pat.json('POST', `/api/meetings/${seeded.meetingId}/end`, {});
    const record = await recordNow();
    expect(record.sealed).toBe(true);
    checkTruth(JSON.stringify(record), 'record');
    expect(record.reflections.map((r) => [r.author, r.role, r.text])).toEqual([['Maria', 'network_member', 'What we made of it: we felt heard.']]);
    expect(record.decisions.map((d) => [d.decidedBy, d.present])).toEqual([['Pat Practitioner', ['Pat Practitioner', 'Maria']]]);
    expect(record.notes.at(-1)?.runs).toEqual([{ text: 'One more line by Pat.', author: 'Pat Practitioner', role: 'practitioner' }]);

    const markdown = await (await pat.request('GET', `/api/meetings/${seeded.meetingId}/export?format=md`)).text();
    checkTruth(markdown, 'markdown');
    expect(markdown).toContain('**\\[Pat Practitioner\\]**\n\nAlex slept better since Tuesday.');
    // A passage's writer is named where the writer changes, also inside a paragraph.
    expect(markdown).toContain('Alex slept better since Tuesday.\n\nAlex eats with us. **\\[Maria\\]** Not every evening.\n\n**\\[Maria\\]**\n\nMaria worries');
    expect(markdown).toContain('**\\[Pat Practitioner\\]**\n\nOne more line by Pat.');
    expect(markdown).toContain('recorded by Pat Practitioner');
    expect(markdown).toContain('Present: Pat Practitioner, Maria');

    const pdf = await pat.request('GET', `/api/meetings/${seeded.meetingId}/export?format=pdf`);
    expect(pdf.status).toBe(200);
    const dir = mkdtempSync(join(tmpdir(), 'polyphony-authors-'));
    try {
      writeFileSync(join(dir, 'note.pdf'), new Uint8Array(await pdf.arrayBuffer()));
      const text = (await run('pdftotext', [join(dir, 'note.pdf'), '-'])).stdout.replace(/\s+/g, ' ');
      checkTruth(text, 'pdf');
      expect(text).toContain('[Pat Practitioner] Alex slept better since Tuesday.');
      expect(text).toContain('[Pat Practitioner] Alex slept better since Tuesday. Alex eats with us. [Maria] Not every evening. [Maria] Maria worries');
      expect(text).toContain('[Pat Practitioner] One more line by Pat.');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
