import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from './database.ts';
import { createSqliteDocStore, DocumentErasedError, DocumentFencedError, DocumentSealedError } from './docStore.ts';
import { openWorkerDocStore, type WorkerDocStore } from './workerDocStore.ts';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function openStores(): { dir: string; worker: WorkerDocStore; db: ReturnType<typeof openDatabase> } {
  const dir = mkdtempSync(join(tmpdir(), 'polyphony-docwriter-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const db = openDatabase(dir);
  cleanups.push(() => db.close());
  const worker = openWorkerDocStore(dir);
  cleanups.push(() => worker.close());
  return { dir, worker, db };
}

const bytes = (...values: number[]): Uint8Array => new Uint8Array(values);

describe('the document store on its writer thread', () => {
  it('refuses, on the thread, the writes of a writer whose claim was superseded, and keeps the new owner\'s', async () => {
    const { worker } = openStores();
    const first = await worker.claim('doc');
    expect(await worker.append('doc', bytes(1), first)).toBe(1);
    const second = await worker.claim('doc');
    expect(second).toBeGreaterThan(first);
    const [stale, current] = await Promise.allSettled([worker.append('doc', bytes(2), first), worker.append('doc', bytes(3), second)]);
    expect(stale.status === 'rejected' && stale.reason).toBeInstanceOf(DocumentFencedError);
    expect(current).toEqual({ status: 'fulfilled', value: 2 });
    await expect(worker.compact('doc', bytes(9), 2, first)).rejects.toBeInstanceOf(DocumentFencedError);
    expect((await worker.load('doc')).updates.map((update) => [...update])).toEqual([[1], [3]]);
  });

  it('commits appends to many documents made in one turn, each in order, readable by another connection', async () => {
    const { worker, db } = openStores();
    const seqs = await Promise.all(
      Array.from({ length: 40 }, (_, doc) => Promise.all([worker.append(`doc-${doc}`, bytes(doc, 1)), worker.appendMany(`doc-${doc}`, [bytes(doc, 2), bytes(doc, 3)])])),
    );
    expect(seqs.every(([first, last]) => first === 1 && last === 3)).toBe(true);
    const inThread = createSqliteDocStore(db);
    const loaded = await inThread.load('doc-7');
    expect(loaded.updates.map((update) => [...update])).toEqual([[7, 1], [7, 2], [7, 3]]);
    expect((await worker.load('doc-7')).updates.map((update) => [...update])).toEqual([[7, 1], [7, 2], [7, 3]]);
    expect(await worker.count('doc-39')).toBe(3);
  });

  it('refuses only the erased document of a shared batch, and writes nothing of it', async () => {
    const { worker, db } = openStores();
    db.prepare('INSERT INTO erased_documents (doc_name, erased_at) VALUES (?, ?)').run('gone', new Date().toISOString());
    const [kept, refused] = await Promise.allSettled([worker.append('kept', bytes(1)), worker.append('gone', bytes(2))]);
    expect(kept).toEqual({ status: 'fulfilled', value: 1 });
    expect(refused.status === 'rejected' && refused.reason).toBeInstanceOf(DocumentErasedError);
    await expect(worker.compact('gone', bytes(3), 1)).rejects.toBeInstanceOf(DocumentErasedError);
    expect(await worker.count('gone')).toBe(0);
  });

  it('refuses writes to a meeting document once another connection ended the meeting, and keeps what came before', async () => {
    const { worker, db } = openStores();
    const meetingId = 'm'.repeat(22);
    const docName = `meeting-${meetingId}`;
    db.prepare("INSERT INTO networks (id, person_name, referred_at, created_at) VALUES ('n', 'Jo', '2026-01-01', '2026-01-01')").run();
    db.prepare("INSERT INTO meetings (id, network_id, title, created_at, status) VALUES (?, 'n', 'Meeting', '2026-01-01', 'live')").run(meetingId);
    expect(await worker.appendMany(docName, [bytes(1), bytes(2)])).toBe(2);
    // The ops CLI, or the server's API, ends it on its own connection.
    db.prepare("UPDATE meetings SET status = 'ended', ended_at = ? WHERE id = ?").run(new Date().toISOString(), meetingId);
    const [kept, refused] = await Promise.allSettled([worker.append('other', bytes(1)), worker.append(docName, bytes(3))]);
    expect(kept).toEqual({ status: 'fulfilled', value: 1 });
    expect(refused.status === 'rejected' && refused.reason).toBeInstanceOf(DocumentSealedError);
    await expect(worker.compact(docName, bytes(9), 2)).rejects.toBeInstanceOf(DocumentSealedError);
    await expect(createSqliteDocStore(db).append(docName, bytes(4))).rejects.toBeInstanceOf(DocumentSealedError);
    expect((await worker.load(docName)).updates.map((update) => [...update])).toEqual([[1], [2]]);
  });

  it('compacts a prefix into a snapshot and keeps the rows after it', async () => {
    const { worker } = openStores();
    for (let i = 1; i <= 5; i++) await worker.append('doc', bytes(i));
    await worker.compact('doc', bytes(9, 9), 3);
    const loaded = await worker.load('doc');
    expect(loaded.updates.map((update) => [...update])).toEqual([[9, 9], [4], [5]]);
    expect(loaded.lastSeq).toBe(5);
    expect(await worker.append('doc', bytes(6))).toBe(6);
  });

  it('commits client-id bindings with their updates, keeps them through compaction, and never changes one', async () => {
    const { worker } = openStores();
    const at = '2026-12-01T10:00:00.000Z';
    await worker.appendMany('doc', [bytes(1)], [{ clientId: 7, participantId: 'user-pat', at }]);
    await worker.appendMany('doc', [bytes(2)], [{ clientId: 7, participantId: 'member-sam', at }, { clientId: 8, participantId: 'member-sam', at }]);
    await worker.compact('doc', bytes(9), 2);
    const loaded = await worker.load('doc');
    expect(loaded.updates.map((update) => [...update])).toEqual([[9]]);
    expect(loaded.clients?.sort((a, b) => a.clientId - b.clientId)).toEqual([
      { clientId: 7, participantId: 'user-pat', at },
      { clientId: 8, participantId: 'member-sam', at },
    ]);
    expect((await worker.load('other')).clients).toEqual([]);
  });

  it('close waits for every write made before it, and refuses writes after it', async () => {
    const { worker, db } = openStores();
    const writes = Array.from({ length: 100 }, (_, i) => worker.append('doc', bytes(i % 256)));
    await worker.close();
    await Promise.all(writes);
    expect(await createSqliteDocStore(db).count('doc')).toBe(100);
    await expect(worker.append('doc', bytes(1))).rejects.toThrow('closed');
  });

  it('lets appends go ahead of queued compactions, so live edits do not wait behind a wave of them', async () => {
    const { worker } = openStores();
    const docs = Array.from({ length: 40 }, (_, i) => `ended-${i}`);
    await Promise.all(docs.map((doc) => worker.appendMany(doc, [bytes(1), bytes(2), bytes(3)])));
    const order: string[] = [];
    const compactions = docs.map((doc) => worker.compact(doc, bytes(9), 3).then(() => void order.push(doc)));
    const edit = worker.append('live', bytes(5)).then(() => void order.push('live'));
    await Promise.all([...compactions, edit]);
    expect(order.indexOf('live')).toBeLessThan(docs.length - 1);
    expect((await worker.load('ended-7')).updates.map((update) => [...update])).toEqual([[9]]);
  });

  it('hands a load over as views of one buffer, byte for byte', async () => {
    const { worker } = openStores();
    const updates = Array.from({ length: 2_000 }, (_, i) => bytes(i % 251, (i * 7) % 256, 0, i % 3));
    await worker.appendMany('big', updates);
    const loaded = await worker.load('big');
    expect(loaded.updates.length).toBe(2_000);
    expect(loaded.updates.every((update, i) => Buffer.from(update).equals(Buffer.from(updates[i] ?? [])))).toBe(true);
  });
});

describe('commits on the event loop while the thread has nothing to do', () => {
  function openWithQuiet(inlineQuietMs: number, inlineMaxCommitMs?: number): { worker: WorkerDocStore; db: ReturnType<typeof openDatabase> } {
    const dir = mkdtempSync(join(tmpdir(), 'polyphony-docwriter-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const db = openDatabase(dir);
    cleanups.push(() => db.close());
    const worker = openWorkerDocStore(dir, { inlineQuietMs, ...(inlineMaxCommitMs === undefined ? {} : { inlineMaxCommitMs }) });
    cleanups.push(() => worker.close());
    return { worker, db };
  }

  it('commits a lone append at once, durable when it resolves, and sends the appends right behind it to the thread', async () => {
    const { worker, db } = openWithQuiet(20);
    const readBack = createSqliteDocStore(db);
    const first = worker.append('doc', bytes(1));
    // Committed before append() returned: another connection reads it without waiting for anything.
    expect(await readBack.count('doc')).toBe(1);
    const [, second, third] = await Promise.all([first, worker.append('doc', bytes(2)), worker.append('doc', bytes(3))]);
    expect([second, third]).toEqual([2, 3]);
    expect(worker.commits).toEqual({ inline: 1, thread: 2 });
    expect((await readBack.load('doc')).updates.map((update) => [...update])).toEqual([[1], [2], [3]]);
  });

  it('fences a superseded writer on the event loop as the thread does, with the epoch the thread gave', async () => {
    const { worker } = openWithQuiet(0, Number.POSITIVE_INFINITY);
    const first = await worker.claim('doc');
    expect(await worker.append('doc', bytes(1), first)).toBe(1);
    const second = await worker.claim('doc');
    await expect(worker.append('doc', bytes(2), first)).rejects.toBeInstanceOf(DocumentFencedError);
    expect(await worker.append('doc', bytes(3), second)).toBe(2);
    expect(worker.commits).toEqual({ inline: 3, thread: 0 });
    expect((await worker.load('doc')).updates.map((update) => [...update])).toEqual([[1], [3]]);
  });

  it('refuses an erased document on the event loop too, and writes nothing of it', async () => {
    const { worker, db } = openWithQuiet(0);
    db.prepare('INSERT INTO erased_documents (doc_name, erased_at) VALUES (?, ?)').run('gone', new Date().toISOString());
    await expect(worker.append('gone', bytes(1))).rejects.toBeInstanceOf(DocumentErasedError);
    expect(worker.commits.inline).toBe(1);
    expect(await worker.count('gone')).toBe(0);
  });

  it('refuses a meeting document on the event loop once another connection ended the meeting', async () => {
    const { worker, db } = openWithQuiet(0, Number.POSITIVE_INFINITY);
    const meetingId = 'm'.repeat(22);
    const docName = `meeting-${meetingId}`;
    db.prepare("INSERT INTO networks (id, person_name, referred_at, created_at) VALUES ('n', 'Jo', '2026-01-01', '2026-01-01')").run();
    db.prepare("INSERT INTO meetings (id, network_id, title, created_at, status) VALUES (?, 'n', 'Meeting', '2026-01-01', 'live')").run(meetingId);
    expect(await worker.append(docName, bytes(1))).toBe(1);
    db.prepare("UPDATE meetings SET status = 'ended', ended_at = ? WHERE id = ?").run(new Date().toISOString(), meetingId);
    await expect(worker.append(docName, bytes(2))).rejects.toBeInstanceOf(DocumentSealedError);
    expect(worker.commits).toEqual({ inline: 2, thread: 0 });
    expect((await worker.load(docName)).updates.map((update) => [...update])).toEqual([[1]]);
  });

  it('never waits for a lock on the event loop: with another connection writing, the append goes to the thread', async () => {
    const { worker, db } = openWithQuiet(0);
    db.exec('BEGIN IMMEDIATE');
    let timerRan = false;
    setTimeout(() => void (timerRan = true), 0);
    const appended = worker.append('doc', bytes(1));
    expect(worker.commits).toEqual({ inline: 0, thread: 0 });
    // The event loop still turns while the thread waits for the lock.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(timerRan).toBe(true);
    db.exec('COMMIT');
    expect(await appended).toBe(1);
    expect(worker.commits).toEqual({ inline: 0, thread: 1 });
  });

  it('leaves commits to the thread while the last one took longer than allowed', async () => {
    // No commit is ever faster than 0 ms: after the first, every one is too slow to leave the thread.
    const { worker } = openWithQuiet(0, 0);
    for (let i = 1; i <= 3; i++) expect(await worker.append('doc', bytes(i))).toBe(i);
    expect(worker.commits).toEqual({ inline: 1, thread: 2 });
    const { worker: patient } = openWithQuiet(0, Number.POSITIVE_INFINITY);
    for (let i = 1; i <= 3; i++) expect(await patient.append('doc', bytes(i))).toBe(i);
    expect(patient.commits).toEqual({ inline: 3, thread: 0 });
  });

  it('leaves every commit to the thread when told never to commit on the event loop', async () => {
    const { worker } = openWithQuiet(Number.POSITIVE_INFINITY);
    expect(await worker.append('doc', bytes(1))).toBe(1);
    expect(worker.commits).toEqual({ inline: 0, thread: 1 });
  });
});

describe('the writer thread dying', () => {
  it('fails what was in flight, then serves later requests from a new thread with nothing lost', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'polyphony-docwriter-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    openDatabase(dir).close();
    const store = openWorkerDocStore(dir, { threadUrl: new URL('../../tests/fixtures/crashingDocWriterThread.ts', import.meta.url) });
    cleanups.push(() => store.close());
    await store.append('doc', bytes(1));
    await expect(store.load('crash-now')).rejects.toThrow('document writer thread exited (3)');
    expect(await store.append('doc', bytes(2))).toBe(2);
    expect((await store.load('doc')).updates.map((update) => [...update])).toEqual([[1], [2]]);
  });

  // On the event loop (commits far apart) and on the thread (never inline): both must fence by the same claims.
  for (const [path, options] of [
    ['the event loop', { inlineQuietMs: 0, inlineMaxCommitMs: Number.POSITIVE_INFINITY }],
    ['the thread', { inlineQuietMs: Number.POSITIVE_INFINITY }],
  ] as const) {
    it(`keeps fencing across a new thread, on ${path}: a claim made before still holds, and the next claim supersedes it`, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'polyphony-docwriter-'));
      cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
      openDatabase(dir).close();
      const store = openWorkerDocStore(dir, { threadUrl: new URL('../../tests/fixtures/crashingDocWriterThread.ts', import.meta.url), ...options });
      cleanups.push(() => store.close());
      await store.claim('other');
      const epoch = await store.claim('doc');
      expect(await store.append('doc', bytes(1), epoch)).toBe(1);
      await expect(store.load('crash-now')).rejects.toThrow('document writer thread exited (3)');
      // The owner of the document is still its owner: a crash of the thread does not move documents.
      expect(await store.append('doc', bytes(2), epoch)).toBe(2);
      // A new claim is a new number, never one a superseded writer may still hold.
      const again = await store.claim('doc');
      expect(again).toBeGreaterThan(epoch);
      await expect(store.append('doc', bytes(3), epoch)).rejects.toBeInstanceOf(DocumentFencedError);
      await expect(store.compact('doc', bytes(9), 2, epoch)).rejects.toBeInstanceOf(DocumentFencedError);
      expect(await store.append('doc', bytes(4), again)).toBe(3);
      expect((await store.load('doc')).updates.map((update) => [...update])).toEqual([[1], [2], [4]]);
      expect(store.commits.inline > 0).toBe(path === 'the event loop');
    });
  }
});
