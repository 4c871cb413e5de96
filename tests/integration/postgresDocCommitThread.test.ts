import type pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { DocumentFencedError } from '../../server/store/docStore.ts';
import { openPostgres } from '../../server/store/postgres/database.ts';
import { openDocCommitThread, type DocCommitThread } from '../../server/store/postgres/docCommitThreadClient.ts';
import { createPostgresDocStore } from '../../server/store/postgres/docStore.ts';
import { openRoutedDocCommits } from '../../server/store/postgres/routedDocCommits.ts';
import { createTestDatabase } from '../helpers/postgresDatabase.ts';

/**
 * The server's PostgreSQL document store runs its group commits on a thread with its own connection
 * (docCommitThread), off the meetings' event loop: what it commits, refuses and fails must be what the
 * in-process commit does (issue 15).
 */
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setUp(options: { threadUrl?: URL } = {}): Promise<{ pool: pg.Pool; thread: DocCommitThread; database: { url: string } }> {
  const database = await createTestDatabase({ migrated: true });
  cleanups.push(() => database.drop());
  const pool = await openPostgres(database.url, { max: 2 });
  cleanups.push(() => pool.end());
  const thread = openDocCommitThread(database.url, options.threadUrl);
  cleanups.push(() => thread.close());
  return { pool, thread, database };
}

/**
 * The held connection of a routed commit, in pg_stat_activity: the commit functions are its only statements.
 * The test's own connections, whose last statement named them in this very condition, are not it.
 */
const HELD = "datname = current_database() AND query LIKE '%polyphony_append_%' AND query NOT LIKE '%pg_stat_activity%'";

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitUntilGone(pool: pg.Pool): Promise<void> {
  while ((await pool.query(`SELECT 1 FROM pg_stat_activity WHERE ${HELD}`)).rowCount) await delay(10);
}

/** A store whose every commit goes from the event loop on the held connection, with 'doc' committed once. */
async function everyCommitFromTheLoop() {
  const { pool, database } = await setUp();
  const commits = openRoutedDocCommits(database.url, { directQuietMs: 0 });
  cleanups.push(() => commits.close());
  const store = createPostgresDocStore(pool, { commitThread: commits });
  expect(await store.append('doc', new Uint8Array([1]))).toBe(1);
  return { pool, commits, store };
}

const CRASHING = new URL('../fixtures/crashingDocCommitThread.ts', import.meta.url);

describe('the PostgreSQL commit thread', () => {
  it('commits what the store hands it, visible to other connections, and a fenced document fails alone', async () => {
    const { pool, thread } = await setUp();
    const store = createPostgresDocStore(pool, { commitThread: thread });
    const other = createPostgresDocStore(pool);
    const epoch = await store.claim('doc-a');
    await store.claim('doc-b');
    await other.claim('doc-b');
    const at = '2026-12-02T10:00:00.000Z';
    const outcomes = await Promise.allSettled([
      store.appendMany('doc-a', [new Uint8Array([1]), new Uint8Array([2])], [{ clientId: 3, participantId: 'user-u1', at }], epoch),
      store.append('doc-b', new Uint8Array([9]), 1),
      store.append('doc-a', new Uint8Array([3]), epoch),
    ]);
    expect(outcomes[0]).toEqual({ status: 'fulfilled', value: 2 });
    expect(outcomes[1]?.status === 'rejected' && outcomes[1].reason).toBeInstanceOf(DocumentFencedError);
    expect(outcomes[2]).toEqual({ status: 'fulfilled', value: 3 });
    const loaded = await other.load('doc-a');
    expect(loaded.updates).toEqual([1, 2, 3].map((byte) => new Uint8Array([byte])));
    expect(loaded.clients).toEqual([{ clientId: 3, participantId: 'user-u1', at }]);
    expect((await other.load('doc-b')).updates).toEqual([]);
  });

  it("fails a transaction PostgreSQL refuses with PostgreSQL's error code, and serves the next one", async () => {
    const database = await createTestDatabase({ migrated: false });
    cleanups.push(() => database.drop());
    const thread = openDocCommitThread(database.url);
    cleanups.push(() => thread.close());
    const failed = thread.commit([{ docName: 'doc', updates: [new Uint8Array([1])] }]);
    // 42883: undefined_function (a database without the schema has no group commit function).
    await expect(failed).rejects.toMatchObject({ code: '42883' });
    // And the thread goes on serving (a new transaction on its connection).
    await expect(thread.commit([{ docName: 'doc', updates: [new Uint8Array([2])] }])).rejects.toMatchObject({ code: '42883' });
  });

  it('fails the commit in flight when the thread dies, then commits on a new thread with nothing lost', async () => {
    const { pool, thread } = await setUp({ threadUrl: CRASHING });
    const store = createPostgresDocStore(pool, { commitThread: thread });
    expect(await store.append('doc', new Uint8Array([1]))).toBe(1);
    await expect(store.append('crash-now', new Uint8Array([5]))).rejects.toThrow('document commit thread exited (3)');
    expect(await store.append('doc', new Uint8Array([2]))).toBe(2);
    expect((await store.load('doc')).updates).toEqual([new Uint8Array([1]), new Uint8Array([2])]);
    expect(await store.count('crash-now')).toBe(0);
  });

  it('commits a batch from the event loop when it comes long enough after the last one, the others on the thread, in order', async () => {
    const { pool, database } = await setUp();
    // Every batch is quiet: none goes to the thread.
    const quietCommits = openRoutedDocCommits(database.url, { directQuietMs: 0 });
    cleanups.push(() => quietCommits.close());
    const quiet = createPostgresDocStore(pool, { commitThread: quietCommits });
    for (const byte of [1, 2, 3]) expect(await quiet.append('doc-quiet', new Uint8Array([byte]))).toBe(byte);
    expect(quietCommits.commits).toEqual({ direct: 3, thread: 0 });
    // Only the first batch is: the others, made right after the one before ended, go to the thread.
    const busyCommits = openRoutedDocCommits(database.url, { directQuietMs: 60_000 });
    cleanups.push(() => busyCommits.close());
    const busy = createPostgresDocStore(pool, { commitThread: busyCommits });
    const bytes = [1, 2, 3, 4, 5, 6];
    const seqs: number[] = [];
    for (const byte of bytes) seqs.push(await busy.append('doc-busy', new Uint8Array([byte])));
    expect(seqs).toEqual(bytes);
    expect(busyCommits.commits).toEqual({ direct: 1, thread: 5 });
    expect((await quiet.load('doc-busy')).updates).toEqual(bytes.map((byte) => new Uint8Array([byte])));
    expect((await busy.load('doc-quiet')).updates).toEqual([1, 2, 3].map((byte) => new Uint8Array([byte])));
  });

  it('commits from the event loop on a new connection when the held one was ended while idle, with nothing failed', async () => {
    const { pool, commits, store } = await everyCommitFromTheLoop();
    // PostgreSQL ends the held connection while it is idle (as a restart, an administrator or
    // idle_session_timeout would): the connection hears of it, and the next commit does not use it.
    const ended = await pool.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE ${HELD}`);
    expect(ended.rowCount).toBe(1);
    await waitUntilGone(pool);
    expect(await store.append('doc', new Uint8Array([2]))).toBe(2);
    expect(await store.append('doc', new Uint8Array([3]))).toBe(3);
    expect(commits.commits).toEqual({ direct: 3, thread: 0 });
    expect((await store.load('doc')).updates).toEqual([1, 2, 3].map((byte) => new Uint8Array([byte])));
  });

  it('fails the commit whose connection is ended under it, and commits the next on a new connection', async () => {
    const { pool, commits, store } = await everyCommitFromTheLoop();
    // Another transaction holds the document's head: the next commit waits for it on the held connection.
    const blocker = await pool.connect();
    await blocker.query("BEGIN; SELECT 1 FROM doc_heads WHERE doc_name = 'doc' FOR UPDATE");
    const failed = store.append('doc', new Uint8Array([2]));
    failed.catch(() => {});
    const waiting = `${HELD} AND wait_event_type = 'Lock'`;
    while (!(await pool.query(`SELECT 1 FROM pg_stat_activity WHERE ${waiting}`)).rowCount) await delay(10);
    await pool.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE ${waiting}`);
    await expect(failed).rejects.toThrow();
    await blocker.query('ROLLBACK');
    blocker.release();
    await waitUntilGone(pool);
    expect(await store.append('doc', new Uint8Array([3]))).toBe(2);
    expect(commits.commits).toEqual({ direct: 3, thread: 0 });
    expect((await store.load('doc')).updates).toEqual([new Uint8Array([1]), new Uint8Array([3])]);
  });

  it('waits for the commits in flight when closed, and refuses commits after', async () => {
    const { pool, thread } = await setUp();
    const store = createPostgresDocStore(pool, { commitThread: thread });
    const appended = store.append('doc', new Uint8Array([1]));
    // The store hands its batch over on the next turn of the loop: wait for that, not for the commit.
    await new Promise((resolve) => setImmediate(resolve));
    await thread.close();
    expect(await appended).toBe(1);
    await expect(thread.commit([{ docName: 'doc', updates: [new Uint8Array([2])] }])).rejects.toThrow('document store closed');
    expect(await store.count('doc')).toBe(1);
  });
});
