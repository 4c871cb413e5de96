import type pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { DocumentErasedError, DocumentFencedError } from '../../server/store/docStore.ts';
import { openPostgres } from '../../server/store/postgres/database.ts';
import { createPostgresDocStore } from '../../server/store/postgres/docStore.ts';
import { createTestDatabase } from '../helpers/postgresDatabase.ts';

/**
 * The PostgreSQL document store commits the appends of many documents made together in one transaction
 * (one wait for the WAL flush, synchronous_commit on), and each document's refusal stays its own (issue 15).
 */
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function openPool(url: string): Promise<pg.Pool> {
  const pool = await openPostgres(url, { max: 10 });
  cleanups.push(() => pool.end());
  return pool;
}

const DOCS = 20;

describe('group commit of the PostgreSQL document store', () => {
  it('commits appends to many documents in fewer transactions than documents, and a fenced one fails alone', async () => {
    const database = await createTestDatabase({ migrated: true });
    cleanups.push(() => database.drop());
    const pool = await openPool(database.url);
    // Whatever the server's default: a commit returns only once its WAL is flushed to disk.
    expect((await pool.query<{ synchronous_commit: string }>('SHOW synchronous_commit')).rows).toEqual([{ synchronous_commit: 'on' }]);
    const store = createPostgresDocStore(pool);
    const other = createPostgresDocStore(await openPool(database.url));
    const names = Array.from({ length: DOCS }, (_, index) => `doc-${index}`);
    const epochs = await Promise.all(names.map((name) => store.claim(name)));
    const fenced = 'doc-7';
    await other.claim(fenced);

    // Every transaction (and every other statement) of the store takes a connection from its pool.
    let checkouts = 0;
    pool.on('acquire', () => void checkouts++);
    const outcomes = await Promise.allSettled(names.map((name, index) => store.append(name, new Uint8Array([index + 1]), epochs[index])));
    expect(checkouts).toBeGreaterThan(0);
    expect(checkouts).toBeLessThan(DOCS);

    outcomes.forEach((outcome, index) => {
      if (names[index] === fenced) expect(outcome.status === 'rejected' && outcome.reason).toBeInstanceOf(DocumentFencedError);
      else expect(outcome).toEqual({ status: 'fulfilled', value: 1 });
    });
    // Committed (seen from another connection), except what was refused.
    for (const [index, name] of names.entries()) {
      const { updates } = await other.load(name);
      expect(updates, name).toEqual(name === fenced ? [] : [new Uint8Array([index + 1])]);
    }
    // The committed heads go on from there; the refused document's is as the claim left it.
    expect(await store.append('doc-0', new Uint8Array([99]), epochs[0])).toBe(2);
    const heads = await pool.query<{ doc_name: string; last_seq: string }>('SELECT doc_name, last_seq FROM doc_heads WHERE doc_name = $1', [fenced]);
    expect(heads.rows).toEqual([{ doc_name: fenced, last_seq: '0' }]);
  });

  it('keeps the order of appends to one document made in one turn, and their client bindings', async () => {
    const database = await createTestDatabase({ migrated: true });
    cleanups.push(() => database.drop());
    const store = createPostgresDocStore(await openPool(database.url));
    const at = '2026-12-02T10:00:00.000Z';
    const seqs = await Promise.all([
      store.append('doc-a', new Uint8Array([1])),
      store.appendMany('doc-a', [new Uint8Array([2]), new Uint8Array([3])], [{ clientId: 5, participantId: 'user-u1', at }]),
      store.append('doc-b', new Uint8Array([9])),
      store.appendMany('doc-a', [new Uint8Array([4])], [{ clientId: 5, participantId: 'user-u2', at }]),
    ]);
    expect(seqs).toEqual([1, 3, 1, 4]);
    const loaded = await store.load('doc-a');
    expect(loaded.updates).toEqual([1, 2, 3, 4].map((byte) => new Uint8Array([byte])));
    expect(loaded.clients).toEqual([{ clientId: 5, participantId: 'user-u1', at }]);
  });

  // The batch writes its values into the text of its one statement (one round trip per commit): every byte
  // and every name must come back exactly, and no name can end a literal.
  it('stores names with quotes and backslashes and updates of every byte value exactly, in one batch', async () => {
    const database = await createTestDatabase({ migrated: true });
    cleanups.push(() => database.drop());
    const store = createPostgresDocStore(await openPool(database.url));
    const at = '2026-12-02T10:00:00.000Z';
    const hostile = ["x'); DROP TABLE doc_updates; --", 'back\\slash\\', "quote'd \\' both", 'ünïcødé ✓'];
    const everyByte = Uint8Array.from({ length: 256 }, (_, index) => index);
    // A view into a larger buffer, as updates cut from a socket's message are.
    const view = new Uint8Array([7, 7, 1, 2, 3, 7]).subarray(2, 5);
    const large = Uint8Array.from({ length: 70_000 }, (_, index) => (index * 31) % 256);
    const seqs = await Promise.all(
      hostile.map((name, index) => store.appendMany(name, [everyByte, view, large], [{ clientId: index + 1, participantId: `user-${name}`, at }])),
    );
    expect(seqs).toEqual([3, 3, 3, 3]);
    for (const [index, name] of hostile.entries()) {
      const loaded = await store.load(name);
      expect(loaded.updates, name).toEqual([everyByte, new Uint8Array([1, 2, 3]), large]);
      expect(loaded.clients, name).toEqual([{ clientId: index + 1, participantId: `user-${name}`, at }]);
    }
    expect(await store.count("x'); DROP TABLE doc_updates; --")).toBe(3);
  });

  it('leaves no head row for a document whose every append was refused in the batch that made it', async () => {
    const database = await createTestDatabase({ migrated: true });
    cleanups.push(() => database.drop());
    const pool = await openPool(database.url);
    const store = createPostgresDocStore(pool);
    await pool.query("INSERT INTO erased_documents (doc_name, erased_at) VALUES ('doc-gone', '2026-12-02T10:00:00.000Z')");
    const outcomes = await Promise.allSettled([store.append('doc-gone', new Uint8Array([1])), store.append('doc-kept', new Uint8Array([2]))]);
    expect(outcomes[0]?.status).toBe('rejected');
    expect(outcomes[1]).toEqual({ status: 'fulfilled', value: 1 });
    const heads = await pool.query<{ doc_name: string }>('SELECT doc_name FROM doc_heads ORDER BY doc_name');
    expect(heads.rows).toEqual([{ doc_name: 'doc-kept' }]);
  });

  // The batch is one function call: its checks after the head locks must each see what committed while it
  // waited for them (a fresh snapshot per statement), not the database as it was when the call began. A batch
  // of one document and a batch of several are two functions (migrations 19 and 18): both are tried.
  it.each([
    { batch: 'alone', others: [] },
    { batch: 'in a batch with another document', others: ['doc-y'] },
  ])('refuses an append that waited for an erasure holding the head lock, once that erasure commits ($batch)', async ({ others }) => {
    const database = await createTestDatabase({ migrated: true });
    cleanups.push(() => database.drop());
    const pool = await openPool(database.url);
    const store = createPostgresDocStore(pool);
    expect(await store.append('doc-x', new Uint8Array([1]))).toBe(1);
    const eraser = await pool.connect();
    cleanups.push(async () => eraser.release());
    // As networkEraser.ts does: the marker, then the head lock, then the rows and the head go.
    await eraser.query('BEGIN');
    await eraser.query("INSERT INTO erased_documents (doc_name, erased_at) VALUES ('doc-x', '2026-12-02T10:00:00.000Z')");
    await eraser.query("INSERT INTO doc_heads (doc_name) VALUES ('doc-x') ON CONFLICT (doc_name) DO UPDATE SET doc_name = excluded.doc_name");
    // Made in one turn: one group commit.
    const appended = store.append('doc-x', new Uint8Array([2]));
    const othersAppended = others.map((name) => store.append(name, new Uint8Array([3])));
    appended.catch(() => {});
    await untilSomeoneWaitsForALock(pool);
    await eraser.query("DELETE FROM doc_updates WHERE doc_name = 'doc-x'");
    await eraser.query("DELETE FROM doc_heads WHERE doc_name = 'doc-x'");
    await eraser.query('COMMIT');
    await expect(appended).rejects.toBeInstanceOf(DocumentErasedError);
    expect(await Promise.all(othersAppended)).toEqual(others.map(() => 1));
    expect(await store.count('doc-x')).toBe(0);
    expect((await pool.query("SELECT doc_name FROM doc_heads WHERE doc_name = 'doc-x'")).rows).toEqual([]);
  });
});

async function untilSomeoneWaitsForALock(pool: pg.Pool): Promise<void> {
  for (let tries = 0; tries < 500; tries++) {
    const waiting = await pool.query("SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()");
    if (waiting.rowCount) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('no connection ever waited for a lock');
}
