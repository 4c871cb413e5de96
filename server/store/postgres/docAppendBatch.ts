import type { PoolClient, QueryResult } from 'pg';
import { meetingIdOfDocName } from '../../../shared/media/rooms.ts';
import { epochAllows, type AppendGroup, type AppendOutcome } from '../docLog.ts';
import { bigintArray, byteaArray, textArray } from './sqlLiterals.ts';

interface Head {
  epoch: number;
  lastSeq: number;
}

/**
 * Writes the groups of one group commit as one transaction, for any number of documents, in two round trips:
 * each group is checked on its own (erased, sealed, fenced) under its document's head lock, and a refused
 * group writes nothing while the others are written. Groups of one document are written in the order given,
 * with consecutive sequence numbers.
 *
 * The head rows are locked in the order of their names, so two processes committing overlapping sets of
 * documents wait for each other instead of deadlocking.
 *
 * It begins and commits the transaction itself (the caller must have begun none, and must not commit):
 * every round trip wakes the backend and this process while editors wait for the commit, and under load each
 * costs about as much as the commit's own flush. So there are two, each a simple query of several statements:
 * BEGIN, the head locks and the ended meetings' check; then every write with the erasure check, and COMMIT.
 */
export async function appendBatch(client: PoolClient, groups: readonly AppendGroup[]): Promise<AppendOutcome[]> {
  const names = [...new Set(groups.map((group) => group.docName))].sort();
  const { heads, created, sealed } = await lockHeads(client, names);
  const rows: { docName: string; seq: number; data: Uint8Array }[] = [];
  const bindings: { docName: string; clientId: number; participantId: string; at: string }[] = [];
  // Sequence numbers are given as if no document were erased: an erased document's rows are left out by
  // the write itself, and its counter is not moved, so what it was given here is never seen.
  const outcomes = groups.map((group): AppendOutcome => {
    const head = heads.get(group.docName);
    if (!head) throw new Error('no head row for a document of the batch');
    const refused = sealed.has(group.docName) ? 'sealed' : epochAllows(head.epoch, group.epoch) ? undefined : 'fenced';
    if (refused) return { ok: false, refused };
    for (const data of group.updates) rows.push({ docName: group.docName, seq: ++head.lastSeq, data });
    for (const binding of group.clients ?? []) bindings.push({ docName: group.docName, ...binding });
    return { ok: true, lastSeq: head.lastSeq };
  });
  const erased = await writeUnlessErasedAndCommit(client, { names, rows, heads, bindings, created });
  // An erasure outranks the other refusals, as it did when each was its own statement.
  return groups.map((group, index): AppendOutcome => (erased.has(group.docName) ? { ok: false, refused: 'erased' } : (outcomes[index] ?? { ok: false, refused: 'erased' })));
}

/**
 * BEGIN, then the head rows created where missing and every one locked, in one statement, in the order of
 * their names; then the ended meetings among the batch's documents. One statement for the heads, not an
 * insert and then a lock: a head this batch inserted would be locked before the existing ones that sort ahead
 * of it, and an erasure locking the same heads in name order (networkEraser.ts) would then deadlock with it
 * (PostgreSQL aborts one of the two; it was the erasure, seen in CI).
 *
 * The meetings are read by the statement after the locks: each statement of a READ COMMITTED transaction
 * (also within one simple query) sees everything committed before it starts, so a meeting's end committed
 * while this batch waited for a lock is seen. The meetings' rows are share-locked, so an end waits for this
 * commit: what is committed before the end is in the sealed document, nothing after it is. No such
 * statement when no document of the batch is a meeting's.
 */
async function lockHeads(client: PoolClient, names: readonly string[]): Promise<{ heads: Map<string, Head>; created: string[]; sealed: Set<string> }> {
  const meetingOf = new Map<string, string>();
  for (const name of names) {
    const meetingId = meetingIdOfDocName(name);
    if (meetingId !== undefined) meetingOf.set(name, meetingId);
  }
  const meetingsCheck =
    meetingOf.size === 0 ? '' : `; SELECT id, status FROM meetings WHERE id = ANY(${textArray([...new Set(meetingOf.values())])}) ORDER BY id FOR SHARE`;
  const results: unknown = await client.query(
    `BEGIN;
     INSERT INTO doc_heads (doc_name) SELECT name FROM unnest(${textArray(names)}) AS u(name) ORDER BY name
     ON CONFLICT (doc_name) DO UPDATE SET doc_name = excluded.doc_name
     RETURNING doc_name, epoch, last_seq, (xmax = 0) AS created${meetingsCheck}`,
  );
  // One result per statement: BEGIN's, the locks', then the meetings' if asked.
  const all = Array.isArray(results) ? (results as QueryResult[]) : [];
  const locked = all[1] as QueryResult<{ doc_name: string; epoch: string; last_seq: string; created: boolean }> | undefined;
  if (!locked) throw new Error('BEGIN and the head locks gave no result for the locks');
  const meetings = all[2] as QueryResult<{ id: string; status: string }> | undefined;
  const endedIds = new Set((meetings?.rows ?? []).filter((row) => row.status === 'ended').map((row) => row.id));
  return {
    heads: new Map(locked.rows.map((row) => [row.doc_name, { epoch: Number(row.epoch), lastSeq: Number(row.last_seq) }])),
    created: locked.rows.filter((row) => row.created).map((row) => row.doc_name),
    sealed: new Set([...meetingOf].filter(([, meetingId]) => endedIds.has(meetingId)).map(([name]) => name)),
  };
}

interface BatchWrites {
  names: readonly string[];
  rows: readonly { docName: string; seq: number; data: Uint8Array }[];
  heads: ReadonlyMap<string, Head>;
  bindings: readonly { docName: string; clientId: number; participantId: string; at: string }[];
  /** Heads this batch inserted: one that nothing is written to goes again, as it would with a rollback. */
  created: readonly string[];
}

/**
 * The erasure check and every write in one statement (data-modifying CTEs), then COMMIT: the rows, the heads'
 * new counters and the new client bindings, each left out for a document that was erased, and the heads this
 * batch made for documents that get no row (so an erased document keeps no row naming it). Returns the
 * erased documents of the batch. If the statement fails, COMMIT is not run (the rest of a simple query is
 * skipped) and the caller rolls back.
 *
 * One statement, run after the head locks were taken: its snapshot is taken when it starts, so it sees every
 * erasure committed before this batch held the locks, and an erasure not yet committed waits for the lock
 * (it inserts into erased_documents and then locks the heads, networkEraser.ts), so it is not missed. The
 * writes only touch rows under locks this transaction holds (bindings are keyed by document too), so they
 * do not depend on when the statement starts either. The heads' update and delete touch disjoint rows (a
 * document with rows that was not erased, and a created one without rows or erased), as a statement's
 * parts must.
 */
async function writeUnlessErasedAndCommit(client: PoolClient, writes: BatchWrites): Promise<Set<string>> {
  const { names, rows, heads, bindings, created } = writes;
  const touched = [...new Set(rows.map((row) => row.docName))];
  // DO NOTHING: a binding is never changed once made (the sync server refuses a client id bound to another).
  const results: unknown = await client.query(
    `WITH erased AS (
       SELECT doc_name FROM erased_documents WHERE doc_name = ANY(${textArray(names)})
     ), appended AS (
       INSERT INTO doc_updates (doc_name, seq, data)
       SELECT * FROM unnest(${textArray(rows.map((row) => row.docName))}, ${bigintArray(rows.map((row) => row.seq))}, ${byteaArray(rows.map((row) => row.data))}) AS u(name, seq, data)
       WHERE u.name NOT IN (SELECT doc_name FROM erased)
     ), counted AS (
       UPDATE doc_heads SET last_seq = u.seq FROM unnest(${textArray(touched)}, ${bigintArray(touched.map((name) => heads.get(name)?.lastSeq ?? 0))}) AS u(name, seq)
       WHERE doc_heads.doc_name = u.name AND u.name NOT IN (SELECT doc_name FROM erased)
     ), bound AS (
       INSERT INTO doc_clients (doc_name, client_id, participant_id, first_seen_at)
       SELECT * FROM unnest(${textArray(bindings.map((b) => b.docName))}, ${bigintArray(bindings.map((b) => b.clientId))}, ${textArray(bindings.map((b) => b.participantId))}, ${textArray(bindings.map((b) => b.at))}) AS u(name, client_id, participant_id, at)
       WHERE u.name NOT IN (SELECT doc_name FROM erased) ON CONFLICT DO NOTHING
     ), unused AS (
       DELETE FROM doc_heads WHERE doc_name = ANY(${textArray(created)}) AND last_seq = 0 AND epoch = 0
       AND (doc_name <> ALL(${textArray(touched)}) OR doc_name IN (SELECT doc_name FROM erased))
     )
     SELECT doc_name FROM erased;
     COMMIT`,
  );
  const written = Array.isArray(results) ? (results[0] as QueryResult<{ doc_name: string }> | undefined) : undefined;
  if (!written) throw new Error('the writes and COMMIT gave no result for the writes');
  return new Set(written.rows.map((row) => row.doc_name));
}
