import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { readNotesContent, notesText } from '../../shared/doc/notesContent.ts';
import { returnToNetwork, startReflecting } from '../../shared/doc/reflecting.ts';
import { getNotes } from '../../shared/doc/schema.ts';
import { SYNC_LIMITS } from '../../shared/protocol/syncLimits.ts';
import { createLogger } from '../log.ts';
import { openDatabase } from '../store/database.ts';
import { createSqliteStores, type Stores } from '../store/stores.ts';
import { createSyncDocument, type SyncDocument, type SyncPeer } from '../sync/syncDocument.ts';
import { checkUpdateBounds } from '../sync/updateBounds.ts';
import { createNotesHistoryRecorder } from './notesHistoryRecorder.ts';
import { decodeNotes } from './notesVersionCodec.ts';

const MEETING = 'mmmmmmmmmmmmmmmmmmmmmm';
const teardown: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const step of teardown.splice(0).reverse()) await step();
  vi.useRealTimers();
});

async function meetingStores(): Promise<Stores> {
  const dir = mkdtempSync(join(tmpdir(), 'polyphony-history-'));
  const db = openDatabase(dir);
  teardown.push(() => rmSync(dir, { recursive: true, force: true }), () => db.close());
  const stores = createSqliteStores(db);
  const at = new Date().toISOString();
  await stores.networks.create({ id: 'nnnnnnnnnnnnnnnnnnnnnn', personName: 'Jo', referredAt: at, createdAt: at, createdBy: undefined });
  await stores.meetings.create({ id: MEETING, networkId: 'nnnnnnnnnnnnnnnnnnnnnn', title: 'Meeting', scheduledAt: at, status: 'live', createdAt: at, endedAt: undefined });
  return stores;
}

function peer(subject: string): SyncPeer {
  return { id: subject, subject, writer: { id: subject.replace(':', '-'), role: undefined }, send: () => {}, sendMany: () => {}, close: () => {} };
}

function serverDocument(write: () => Promise<void> = async () => {}): SyncDocument {
  const document = createSyncDocument({
    name: `meeting-${MEETING}`,
    history: [],
    write,
    storage: { bytes: 0, compactable: false, compact: async () => {} },
    limits: SYNC_LIMITS,
    onWriteFailed: () => {},
    onFault: (error) => {
      throw error;
    },
  });
  teardown.push(() => document.destroy());
  return document;
}

/** A client replica: what it changes is sent to the server document as from `who`. */
function client(document: SyncDocument, who: SyncPeer) {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(document.doc));
  doc.on('update', (update: Uint8Array) => expect(document.applyClientUpdate(update, who, checkUpdateBounds(update))).toBe('applied'));
  return doc;
}

function write(doc: Y.Doc, text: string): void {
  const paragraph = new Y.XmlElement('paragraph');
  paragraph.insert(0, [new Y.XmlText(text)]);
  getNotes(doc).push([paragraph]);
}

const LONG = 'We talked about the week, the plan for school and who will call whom on Friday. '.repeat(4);

describe('versions of the notes, kept by the server', () => {
  it('keeps a version after a quiet pause, named for whoever wrote', async () => {
    vi.useFakeTimers();
    const stores = await meetingStores();
    const document = serverDocument();
    const stop = createNotesHistoryRecorder({ store: stores.notesVersions, logger: createLogger({}, () => {}), quietMs: 3_000 })(document.name, document);
    const sam = client(document, peer('invite:sam'));
    write(sam, 'first line');
    write(sam, 'second line');
    expect(await stores.notesVersions.count(MEETING)).toBe(0);
    await vi.advanceTimersByTimeAsync(3_000);
    const [version] = await stores.notesVersions.page(MEETING, 1e9, 10);
    expect(version).toMatchObject({ kind: 'edit', authors: ['invite:sam'], words: 4 });
    await stop?.();
  });

  it('keeps the notes before a large deletion, and the deletion with who made it, before it is stored', async () => {
    const stores = await meetingStores();
    const versionsAtWrite: number[] = [];
    const document = serverDocument(async () => void versionsAtWrite.push(await stores.notesVersions.count(MEETING)));
    const stop = createNotesHistoryRecorder({ store: stores.notesVersions, logger: createLogger({}, () => {}) })(document.name, document);
    teardown.push(() => stop?.());
    const ana = client(document, peer('user:ana'));
    write(ana, LONG);
    await document.flushed();
    const sam = client(document, peer('invite:sam'));
    Y.applyUpdate(sam, Y.encodeStateAsUpdate(ana));
    getNotes(sam).delete(0, getNotes(sam).length);
    await document.flushed();

    // The deletion's write waited for both versions (the document store holds its writes for them).
    expect(versionsAtWrite).toEqual([0, 2]);

    const [deletion, before] = await stores.notesVersions.page(MEETING, 1e9, 10);
    expect(deletion).toMatchObject({ kind: 'large_deletion', authors: ['invite:sam'], words: 0, relatedId: before?.id, removedWords: 64 });
    expect(before).toMatchObject({ kind: 'before_deletion', authors: ['user:ana'] });
    const content = before ? await stores.notesVersions.content(before.id) : undefined;
    expect(content && notesText(decodeNotes(content))).toBe(LONG);
  });

  it('keeps a version when reflecting starts and when it ends, with what was written before', async () => {
    const stores = await meetingStores();
    const document = serverDocument();
    const stop = createNotesHistoryRecorder({ store: stores.notesVersions, logger: createLogger({}, () => {}) })(document.name, document);
    teardown.push(() => stop?.());
    const ana = client(document, peer('user:ana'));
    write(ana, 'before reflecting');
    const by = { id: 'user-ana', name: 'Ana', role: 'practitioner' as const };
    expect(startReflecting(ana, by, new Date())).toBe(true);
    await vi.waitFor(async () => expect(await stores.notesVersions.newest(MEETING)).toMatchObject({ kind: 'reflecting_started', authors: ['user:ana'], words: 2 }));
    expect(returnToNetwork(ana, by, new Date())).toBe(true);
    await vi.waitFor(async () => expect(await stores.notesVersions.newest(MEETING)).toMatchObject({ kind: 'reflecting_ended', authors: [], seq: 2 }));
  });

  it('calls a change that brings back an earlier version a restore of it', async () => {
    const stores = await meetingStores();
    const document = serverDocument();
    const stop = createNotesHistoryRecorder({ store: stores.notesVersions, logger: createLogger({}, () => {}), quietMs: 10 })(document.name, document);
    teardown.push(() => stop?.());
    const ana = client(document, peer('user:ana'));
    write(ana, LONG);
    getNotes(ana).delete(0, 1);
    await document.flushed();
    const [, before] = await stores.notesVersions.page(MEETING, 1e9, 10);
    write(ana, LONG);
    await vi.waitFor(async () => expect((await stores.notesVersions.newest(MEETING))?.kind).toBe('restore'));
    expect(await stores.notesVersions.newest(MEETING)).toMatchObject({ relatedId: before?.id, authors: ['user:ana'] });
    expect(notesText(readNotesContent(getNotes(document.doc)))).toBe(LONG);
  });
});
