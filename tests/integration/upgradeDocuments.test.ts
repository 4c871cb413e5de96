import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { JoinMeetingResponse } from '../../shared/api/meetings.ts';
import { MeetingRecord } from '../../shared/api/records.ts';
import { DOC_SCHEMA_VERSIONS, docSchemaVersion, SCHEMA_VERSION_FIELD } from '../../shared/doc/docMigrations.ts';
import { addQuestion, decideQuestion } from '../../shared/doc/questions.ts';
import { meetingDocName, networkDocName } from '../../shared/media/rooms.ts';
import { DATABASE_FILE } from '../../server/store/database.ts';
import { useCleanups } from '../helpers/cleanups.ts';
import { connectDocClient, waitUntilStored } from '../helpers/docClient.ts';
import { docFromUpdates, meetingDocMeaning, networkDocMeaning } from '../helpers/docMeaning.ts';
import { HttpSession } from '../helpers/httpSession.ts';
import { PASSWORD } from '../helpers/seed.ts';
import { startServerProcess } from '../helpers/serverProcess.ts';

const cleanup = useCleanups();
const FIXTURE = resolve(import.meta.dirname, '../fixtures/dataDir-main-2478b83');

interface Expected {
  email: string;
  networkId: string;
  endedMeetingId: string;
  runningMeetingId: string;
  record: MeetingRecord;
  meaning: { ended: unknown; running: unknown; network: unknown };
}
const expected = JSON.parse(readFileSync(join(FIXTURE, 'expected.json'), 'utf8')) as Expected;

/** The data directory written by main 2478b83 (documents without a layout version), from its SQL dump. */
function oldDataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'polyphony-upgrade-docs-'));
  cleanup(() => rmSync(dir, { recursive: true, force: true }));
  const db = new DatabaseSync(join(dir, DATABASE_FILE));
  db.exec(readFileSync(join(FIXTURE, 'polyphony.sql'), 'utf8'));
  db.close();
  return dir;
}

/** Each document as stored: its rows and its meaning, read as a restarted server would load it. */
function stored(dataDir: string, docName: string): { rows: number; doc: Y.Doc } {
  const db = new DatabaseSync(join(dataDir, DATABASE_FILE), { readOnly: true });
  try {
    const rows = db.prepare('SELECT data FROM doc_updates WHERE doc_name = ? ORDER BY seq').all(docName).map((row) => row['data'] as Uint8Array);
    return { rows: rows.length, doc: docFromUpdates(rows) };
  } finally {
    db.close();
  }
}

function sealedAtStart(dataDir: string, meetingId: string): boolean {
  const db = new DatabaseSync(join(dataDir, DATABASE_FILE), { readOnly: true });
  try {
    return db.prepare('SELECT 1 FROM sealed_records WHERE meeting_id = ?').get(meetingId) !== undefined;
  } finally {
    db.close();
  }
}

describe('documents written by main 2478b83, opened by this release', () => {
  it('mean the same: the sealed record, the notes, reflections, chat, questions and map are unchanged, and the documents now carry their layout version', async () => {
    const dataDir = oldDataDir();
    const before = {
      ended: stored(dataDir, meetingDocName(expected.endedMeetingId)),
      running: stored(dataDir, meetingDocName(expected.runningMeetingId)),
      network: stored(dataDir, networkDocName(expected.networkId)),
    };
    // What the old release stored is what it showed (the fixture's own check), and carries no version.
    expect(meetingDocMeaning(before.ended.doc)).toEqual(expected.meaning.ended);
    expect(networkDocMeaning(before.network.doc)).toEqual(expected.meaning.network);
    expect(before.running.doc.getMap('meta').has(SCHEMA_VERSION_FIELD)).toBe(false);

    const server = await startServerProcess({ dataDir, env: { LIVEKIT: 'off' } });
    cleanup(() => server.stop());
    const pat = new HttpSession(server.url);
    await pat.login(expected.email, PASSWORD);
    // Ended before records were frozen: frozen by the upgraded server as it started, before anyone could write.
    expect(sealedAtStart(dataDir, expected.endedMeetingId)).toBe(true);
    const recordOf = async (id: string) => MeetingRecord.parse((await pat.json('GET', `/api/meetings/${id}/record`))['record']);
    // The record the old release showed for its ended meeting, field for field (newer fields may be added).
    const sealed = await recordOf(expected.endedMeetingId);
    expect(sealed).toMatchObject(expected.record);

    // Opening the running meeting and the network document migrates them on the server.
    const joined = JoinMeetingResponse.parse(await pat.json('POST', `/api/meetings/${expected.runningMeetingId}/join`, { displayName: 'Pat Example' }));
    const meeting = connectDocClient(server.url, joined.sync);
    const network = connectDocClient(server.url, joined.networkSync);
    cleanup(() => meeting.destroy(), () => network.destroy());
    await Promise.all([meeting.synced, network.synced]);
    await vi.waitFor(() => expect(meeting.doc.getMap('meta').get(SCHEMA_VERSION_FIELD)).toBe(DOC_SCHEMA_VERSIONS.meeting));
    expect(network.doc.getMap('meta').get(SCHEMA_VERSION_FIELD)).toBe(DOC_SCHEMA_VERSIONS.network);
    expect(meetingDocMeaning(meeting.doc)).toEqual(expected.meaning.running);
    expect(networkDocMeaning(network.doc)).toEqual(expected.meaning.network);

    // The ended meeting was frozen at the start of the upgraded server: writing a decision for it now
    // into the network document does not reach its record.
    const author = { id: joined.participantId, name: 'Pat Example', role: 'practitioner' as const };
    const mention = { meetingId: expected.endedMeetingId, meetingTitle: 'Network meeting', at: new Date().toISOString() };
    const late = addQuestion(network.doc, 'Written after the upgrade', author, mention);
    if (!late) throw new Error('no question');
    decideQuestion(network.doc, late, { text: 'Decided after the end', by: author, present: [], meeting: mention });
    await waitUntilStored(network.provider);
    expect(await recordOf(expected.endedMeetingId)).toEqual(sealed);
    meeting.destroy();
    network.destroy();
    await server.stop();

    // As stored: the running meeting's document now holds its version and means the same; the sealed one
    // is byte for byte as the old release left it (a sealed document is migrated in memory only).
    const after = {
      ended: stored(dataDir, meetingDocName(expected.endedMeetingId)),
      running: stored(dataDir, meetingDocName(expected.runningMeetingId)),
    };
    expect(docSchemaVersion(after.running.doc, 'meeting')).toBe(DOC_SCHEMA_VERSIONS.meeting);
    expect(after.running.doc.getMap('meta').get(SCHEMA_VERSION_FIELD)).toBe(DOC_SCHEMA_VERSIONS.meeting);
    expect(meetingDocMeaning(after.running.doc)).toEqual(expected.meaning.running);
    expect(after.ended.rows).toBe(before.ended.rows);
    expect(Y.encodeStateAsUpdate(after.ended.doc)).toEqual(Y.encodeStateAsUpdate(before.ended.doc));
  });
});
