import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { DatabaseSync } from 'node:sqlite';
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { DOC_SCHEMA_VERSIONS, SCHEMA_VERSION_FIELD } from '../../shared/doc/docMigrations.ts';
import { getNotes } from '../../shared/doc/schema.ts';
import { SYNC_CLOSE, SYNC_CLOSE_REASON } from '../../shared/protocol/sync.ts';
import { resolveSyncLimits, SYNC_LIMITS, type SyncLimits } from '../../shared/protocol/syncLimits.ts';
import { createLogger } from '../log.ts';
import { openDatabase } from '../store/database.ts';
import { createSqliteDocStore } from '../store/docStore.ts';
import { createDocumentRegistry, DEFAULT_COMPACT_AFTER_ROWS } from './documentRegistry.ts';
import { decodeClientMessage, encodeUpdateMessage } from './messages.ts';
import type { SyncConnection } from './syncConnection.ts';
import type { SyncPeer } from './syncDocument.ts';
import { startSyncSession } from './syncSession.ts';
import { checkUpdateBounds } from './updateBounds.ts';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const MEETING_ID = 'm'.repeat(22);
const DOC = `meeting-${MEETING_ID}`;

function setUp(limits: SyncLimits = SYNC_LIMITS) {
  const dir = mkdtempSync(join(tmpdir(), 'polyphony-registry-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const db = openDatabase(dir);
  cleanups.push(() => db.close());
  db.prepare("INSERT INTO networks (id, person_name, referred_at, created_at) VALUES ('n', 'Jo', '2026-01-01', '2026-01-01')").run();
  db.prepare("INSERT INTO meetings (id, network_id, title, created_at, status) VALUES (?, 'n', 'Meeting', '2026-01-01', 'live')").run(MEETING_ID);
  const store = createSqliteDocStore(db);
  const registry = createDocumentRegistry({ docStore: store, logger: createLogger({}, () => {}), unloadGraceMs: 60_000, limits });
  cleanups.push(() => registry.close());
  const end = () => db.prepare("UPDATE meetings SET status = 'ended', ended_at = '2026-01-01T11:00:00.000Z' WHERE id = ?").run(MEETING_ID);
  return { store, registry, end, db };
}

function peer(id: string): SyncPeer & { closes: { code: number; reason: string }[]; readonly sent: number } {
  const closes: { code: number; reason: string }[] = [];
  let sent = 0;
  return {
    id,
    subject: `person-${id}`,
    writer: { id: `person-${id}`, role: undefined },
    closes,
    get sent() {
      return sent;
    },
    send: () => void sent++,
    sendMany: (messages) => void (sent += messages.length),
    close: (code, reason) => void closes.push({ code, reason }),
  };
}

/** A connection for a sync session: `peer`, decoding frames as the real one does, never pausing. */
function connectionOf(base: SyncPeer, limits: SyncLimits): SyncConnection {
  return {
    ...base,
    docName: DOC,
    mode: 'read-write',
    isOpen: true,
    log: () => {},
    heartbeat: () => {},
    pauseReading: () => {},
    resumeReading: () => {},
    decode(frame) {
      const decoded = decodeClientMessage(frame, limits);
      return decoded.ok ? decoded.message : null;
    },
  };
}

/** Another connection to the database `db` is on, as another process would have. */
function reopen(db: DatabaseSync): DatabaseSync {
  const location = db.location();
  if (!location) throw new Error('an in-memory database cannot be shared');
  const second = openDatabase(dirname(location));
  cleanups.push(() => second.close());
  return second;
}

/** An update that appends a paragraph to `doc`'s notes, as the editor makes one. */
function paragraphUpdate(doc: Y.Doc, text: string): Uint8Array {
  const before = Y.encodeStateVector(doc);
  const replica = new Y.Doc();
  Y.applyUpdate(replica, Y.encodeStateAsUpdate(doc));
  const paragraph = new Y.XmlElement('paragraph');
  paragraph.insert(0, [new Y.XmlText(text)]);
  getNotes(replica).push([paragraph]);
  return Y.encodeStateAsUpdate(replica, before);
}

describe('the document registry', () => {
  it('stamps a meeting document with its layout version on first load, before anyone is served', async () => {
    const { store, registry } = setUp();
    const document = await registry.acquire(DOC, peer('a')).ready;
    expect(document.doc.getMap('meta').get(SCHEMA_VERSION_FIELD)).toBe(DOC_SCHEMA_VERSIONS.meeting);
    const stored = new Y.Doc();
    for (const update of (await store.load(DOC)).updates) Y.applyUpdate(stored, update);
    expect(stored.getMap('meta').get(SCHEMA_VERSION_FIELD)).toBe(DOC_SCHEMA_VERSIONS.meeting);
  });

  it('closes every connection with "meeting ended" when a write meets a meeting ended elsewhere, and stores none of it', async () => {
    const { store, registry, end } = setUp();
    const [writer, reader] = [peer('writer'), peer('reader')];
    const document = await registry.acquire(DOC, writer).ready;
    registry.acquire(DOC, reader);
    const rows = await store.count(DOC);
    end(); // as the ops CLI does, on its own connection
    const update = paragraphUpdate(document.doc, 'typed after the end');
    expect(document.applyClientUpdate(update, writer, checkUpdateBounds(update))).toBe('applied');
    const ended = { code: SYNC_CLOSE.forbidden, reason: SYNC_CLOSE_REASON.meetingEnded };
    await vi.waitFor(() => expect([writer.closes, reader.closes]).toEqual([[ended], [ended]]));
    await registry.close(); // would compact the in-memory document into the store, were it allowed to
    expect(await store.count(DOC)).toBe(rows);
  });

  it('stops serving a document another registry claimed: the refused update goes to nobody, every connection is told to reconnect, and it is dropped', async () => {
    const { store, registry, db } = setUp();
    const [writer, reader] = [peer('writer'), peer('reader')];
    const document = await registry.acquire(DOC, writer).ready;
    registry.acquire(DOC, reader);
    // Another instance on the same database (its own connection) opens the document and writes to it.
    const other = createDocumentRegistry({ docStore: createSqliteDocStore(reopen(db)), logger: createLogger({}, () => {}), unloadGraceMs: 60_000, limits: SYNC_LIMITS });
    cleanups.push(() => other.close());
    const owner = peer('owner');
    const taken = await other.acquire(DOC, owner).ready;
    const theirs = paragraphUpdate(taken.doc, 'written on the new owner');
    expect(taken.applyClientUpdate(theirs, owner, checkUpdateBounds(theirs))).toBe('applied');
    await taken.flushed();
    const rows = await store.count(DOC);

    const refused = paragraphUpdate(document.doc, 'typed on the old owner');
    expect(document.applyClientUpdate(refused, writer, checkUpdateBounds(refused))).toBe('applied');
    const moved = { code: SYNC_CLOSE.internal, reason: SYNC_CLOSE_REASON.documentMoved };
    await vi.waitFor(() => expect([writer.closes, reader.closes]).toEqual([[moved], [moved]]));
    expect(reader.sent).toBe(0);
    await vi.waitFor(() => expect(registry.size()).toBe(0));
    // Nothing of the old owner's was written (not the update, not a compaction), and the new owner's is there.
    expect(await store.count(DOC)).toBe(rows);
    const stored = new Y.Doc();
    for (const update of (await store.load(DOC)).updates) Y.applyUpdate(stored, update);
    expect(Y.encodeStateVector(stored)).toEqual(Y.encodeStateVector(taken.doc));
  });

  it("charges a document's budget for what its clients send, not for the server loading it (a restart, a failover)", async () => {
    // A budget of one byte and one millisecond: the load below costs the main loop far more than that.
    const limits = resolveSyncLimits({ documentRate: { bytesPerSecond: 1, burstBytes: 1, busyMsPerSecond: 1, burstBusyMs: 1 } });
    const { store, registry } = setUp(limits);
    // A long meeting whose owner was killed: its notes as many rows, more than a load compacts at once.
    const writer = new Y.Doc();
    for (let i = 0; i < DEFAULT_COMPACT_AFTER_ROWS + 100; i++) await store.append(DOC, paragraphUpdate(writer, `paragraph ${i}`));
    const lease = registry.acquire(DOC, peer('back'));
    const document = await lease.ready;
    expect(getNotes(document.doc).length).toBe(DEFAULT_COMPACT_AFTER_ROWS + 100);
    // Loaded, stamped and compacted at the server's own cost: the returning clients are not made to wait.
    expect(lease.budget.waitMs()).toBe(0);

    // What a client sends is charged to the same budget: one update puts this document in debt.
    const base = peer('sender');
    const sender = connectionOf(base, limits);
    const session = startSyncSession(sender, registry);
    const frame = encodeUpdateMessage(paragraphUpdate(document.doc, 'typed'));
    session.message({ frame, bytes: frame.byteLength });
    await vi.waitFor(() => expect([getNotes(document.doc).length, base.closes]).toEqual([DEFAULT_COMPACT_AFTER_ROWS + 101, []]), { timeout: 10_000 });
    expect(lease.budget.waitMs()).toBeGreaterThan(0);
    session.closed();
    // Hundreds of appends and a compaction: seconds on a loaded machine, past the default 5 s.
  }, 60_000);

  it('opens a sealed document without a version for reading, migrated in memory only', async () => {
    const { store, registry, end } = setUp();
    const old = new Y.Doc();
    await store.append(DOC, paragraphUpdate(old, 'written by an older release'));
    end();
    const reader = peer('reader');
    const document = await registry.acquire(DOC, reader).ready;
    expect(document.doc.getMap('meta').get(SCHEMA_VERSION_FIELD)).toBe(DOC_SCHEMA_VERSIONS.meeting);
    expect(await store.count(DOC)).toBe(1);
    expect(reader.closes).toEqual([]);
  });

  it('refuses a client update that changes the layout version, so nobody can stop the document from loading', async () => {
    const { store, registry } = setUp();
    const writer = peer('writer');
    const document = await registry.acquire(DOC, writer).ready;
    const rows = await store.count(DOC);
    for (const forged of [99, 0, undefined]) {
      const replica = new Y.Doc();
      Y.applyUpdate(replica, Y.encodeStateAsUpdate(document.doc));
      const before = Y.encodeStateVector(replica);
      if (forged === undefined) replica.getMap('meta').delete(SCHEMA_VERSION_FIELD);
      else replica.getMap('meta').set(SCHEMA_VERSION_FIELD, forged);
      const update = Y.encodeStateAsUpdate(replica, before);
      expect(document.applyClientUpdate(update, writer, checkUpdateBounds(update)), String(forged)).toBe('malformed');
    }
    const typed = paragraphUpdate(document.doc, 'still writable');
    expect(document.applyClientUpdate(typed, writer, checkUpdateBounds(typed))).toBe('applied');
    await document.flushed();
    expect(await store.count(DOC)).toBe(rows + 1);
    expect(document.doc.getMap('meta').get(SCHEMA_VERSION_FIELD)).toBe(DOC_SCHEMA_VERSIONS.meeting);
  });
});
