import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addQuestion, decideQuestion } from '../../shared/doc/questions.ts';
import { getNotes } from '../../shared/doc/schema.ts';
import { meetingDocName, networkDocName } from '../../shared/media/rooms.ts';
import { ApiError } from '../errors.ts';
import { openDatabase } from '../store/database.ts';
import { createSqliteStores, type Stores } from '../store/stores.ts';
import { recordOf, sealPendingRecords, SEALED_RECORD_FORMAT } from './records.ts';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
});

const NETWORK = 'n'.repeat(22);
const MEETING = 'm'.repeat(22);
const NOW = new Date('2026-03-02T12:00:00.000Z');
const pat = { id: 'user-p', name: 'Pat', role: 'practitioner' as const };

/** A network with one meeting that an older release ended: notes and a decision, and no frozen record. */
async function endedBeforeFreezing(): Promise<{ stores: Stores; db: ReturnType<typeof openDatabase> }> {
  const dir = mkdtempSync(join(tmpdir(), 'polyphony-sealed-'));
  const db = openDatabase(dir);
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }), () => db.close());
  db.prepare("INSERT INTO networks (id, person_name, referred_at, created_at) VALUES (?, 'Jo', '2026-03-01', '2026-03-01')").run(NETWORK);
  db.prepare("INSERT INTO meetings (id, network_id, title, created_at, scheduled_at, status, ended_at) VALUES (?, ?, 'Meeting', '2026-03-01', '2026-03-02T10:00:00.000Z', 'live', NULL)").run(MEETING, NETWORK);
  const stores = createSqliteStores(db);
  const notes = new Y.Doc();
  const paragraph = new Y.XmlElement('paragraph');
  paragraph.insert(0, [new Y.XmlText('Jo slept well.')]);
  getNotes(notes).push([paragraph]);
  await stores.docs.append(meetingDocName(MEETING), Y.encodeStateAsUpdate(notes));
  await writeToNetwork(stores, (doc) => {
    const id = addQuestion(doc, 'Medication?', pat, { meetingId: MEETING, meetingTitle: 'Meeting', at: '2026-03-02T10:30:00.000Z' });
    if (id) decideQuestion(doc, id, { text: 'Keep it.', by: pat, present: ['Pat'], meeting: { meetingId: MEETING, meetingTitle: 'Meeting', at: '2026-03-02T10:30:00.000Z' } });
  });
  db.prepare("UPDATE meetings SET status = 'ended', ended_at = '2026-03-02T11:00:00.000Z' WHERE id = ?").run(MEETING);
  return { stores, db };
}

/** Writes to the stored network document as a client's update would land. */
async function writeToNetwork(stores: Stores, write: (doc: Y.Doc) => void): Promise<void> {
  const doc = new Y.Doc();
  for (const update of (await stores.docs.load(networkDocName(NETWORK))).updates) Y.applyUpdate(doc, update);
  const before = Y.encodeStateVector(doc);
  write(doc);
  await stores.docs.append(networkDocName(NETWORK), Y.encodeStateAsUpdate(doc, before));
}

const forgeDecision = (doc: Y.Doc) => {
  const id = addQuestion(doc, 'Contact', pat, { meetingId: MEETING, meetingTitle: 'Meeting', at: NOW.toISOString() });
  if (id) decideQuestion(doc, id, { text: 'Stop all contact.', by: pat, present: [], meeting: { meetingId: MEETING, meetingTitle: 'Meeting', at: NOW.toISOString() } });
};

describe('records of meetings ended before records were frozen', () => {
  it('are frozen at start, and later writes to the network document do not reach them', async () => {
    const { stores } = await endedBeforeFreezing();
    expect(await sealPendingRecords(stores, NOW)).toBe(1);
    expect(await sealPendingRecords(stores, NOW)).toBe(0);
    const meeting = await stores.meetings.get(MEETING);
    if (!meeting) throw new Error('no meeting');
    const sealed = await recordOf(stores, meeting, NOW);
    expect(sealed.decisions.map((d) => d.text)).toEqual(['Keep it.']);
    expect(sealed.notes.map((b) => b.text)).toEqual(['Jo slept well.']);
    await writeToNetwork(stores, forgeDecision);
    expect(await recordOf(stores, meeting, new Date(NOW.getTime() + 60_000))).toEqual(sealed);
  });

  it('are frozen when first read, if nothing froze them before', async () => {
    const { stores } = await endedBeforeFreezing();
    const meeting = await stores.meetings.get(MEETING);
    if (!meeting) throw new Error('no meeting');
    const first = await recordOf(stores, meeting, NOW);
    expect(await stores.sealedRecords.get(MEETING)).toMatchObject({ format: SEALED_RECORD_FORMAT, sealedAt: NOW.toISOString() });
    await writeToNetwork(stores, forgeDecision);
    expect(await recordOf(stores, meeting, NOW)).toEqual(first);
  });

  it('refuses, with a plain message, a frozen record in a shape from a newer release', async () => {
    const { stores, db } = await endedBeforeFreezing();
    await sealPendingRecords(stores, NOW);
    db.prepare('UPDATE sealed_records SET format = ? WHERE meeting_id = ?').run(SEALED_RECORD_FORMAT + 1, MEETING);
    const meeting = await stores.meetings.get(MEETING);
    if (!meeting) throw new Error('no meeting');
    await expect(recordOf(stores, meeting, NOW)).rejects.toThrow(ApiError);
    await expect(recordOf(stores, meeting, NOW)).rejects.toThrow(/sealed by a newer release/);
  });
});
