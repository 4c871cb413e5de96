import pg, { type PoolClient, type QueryResult } from 'pg';
import { meetingIdOfDocName } from '../../../shared/media/rooms.ts';
import { epochAllows, type AppendGroup, type AppendOutcome } from '../docLog.ts';

interface Head {
  epoch: number;
  lastSeq: number;
}

/**
 * Writes the groups of one group commit inside the caller's transaction, for any number of documents in a
 * fixed number of statements: each group is checked on its own (erased, sealed, fenced) under its
 * document's head lock, and a refused group writes nothing while the others are written. Groups of one
 * document are written in the order given, with consecutive sequence numbers.
 *
 * The head rows are locked in the order of their names, so two processes committing overlapping sets of
 * documents wait for each other instead of deadlocking.
 *
 * Its first statement opens the transaction (BEGIN is sent with it): the caller must not have begun one.
 * Every statement is a round trip that wakes the backend and this process while editors wait for the commit;
 * under load each costs about as much as the commit's own flush, so they are kept few: BEGIN with the head
 * locks; the ended meetings' check (only for meetings' documents, see sealedDocuments); the erasure check
 * with every write; COMMIT.
 */
export async function appendBatch(client: PoolClient, groups: readonly AppendGroup[]): Promise<AppendOutcome[]> {
  const names = [...new Set(groups.map((group) => group.docName))].sort();
  const { heads, created } = await lockHeads(client, names);
  const sealed = await sealedDocuments(client, names);
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
  const erased = await writeUnlessErased(client, names, rows, heads, bindings);
  // An erasure outranks the other refusals, as it did when each was its own statement.
  const final = groups.map((group, index): AppendOutcome => (erased.has(group.docName) ? { ok: false, refused: 'erased' } : (outcomes[index] ?? { ok: false, refused: 'erased' })));
  // A head made only for a document nothing was written to goes again, as it would with a rollback: an
  // erased document keeps no row naming it.
  const written = new Set(rows.map((row) => row.docName).filter((name) => !erased.has(name)));
  const unused = created.filter((name) => !written.has(name));
  if (unused.length > 0) await client.query('DELETE FROM doc_heads WHERE doc_name = ANY($1::text[]) AND last_seq = 0 AND epoch = 0', [unused]);
  return final;
}

/**
 * Creates the head rows that are missing and locks every one, in one statement, in the order of their names.
 * One statement, not an insert and then a lock: a head this batch inserted would be locked before the
 * existing ones that sort ahead of it, and an erasure locking the same heads in name order (networkEraser.ts)
 * would then deadlock with it (PostgreSQL aborts one of the two; it was the erasure, seen in CI).
 */
async function lockHeads(client: PoolClient, names: readonly string[]): Promise<{ heads: Map<string, Head>; created: string[] }> {
  // Sent with BEGIN as one simple query, which takes no parameters: the names go in as escaped literals
  // (pg.escapeLiteral doubles quotes and backslashes, and uses E'' when there is a backslash).
  const literals = names.map((name) => pg.escapeLiteral(name)).join(', ');
  const results: unknown = await client.query(
    `BEGIN;
     INSERT INTO doc_heads (doc_name) SELECT name FROM unnest(ARRAY[${literals}]::text[]) AS u(name) ORDER BY name
     ON CONFLICT (doc_name) DO UPDATE SET doc_name = excluded.doc_name
     RETURNING doc_name, epoch, last_seq, (xmax = 0) AS created`,
  );
  // Two statements give one result each; the second is the lock's.
  const result = Array.isArray(results) ? (results[1] as QueryResult<{ doc_name: string; epoch: string; last_seq: string; created: boolean }> | undefined) : undefined;
  if (!result) throw new Error('BEGIN and the head locks gave no result for the locks');
  return {
    heads: new Map(result.rows.map((row) => [row.doc_name, { epoch: Number(row.epoch), lastSeq: Number(row.last_seq) }])),
    created: result.rows.filter((row) => row.created).map((row) => row.doc_name),
  };
}

/**
 * The documents of ended meetings, read after their head locks were taken: each statement of a READ
 * COMMITTED transaction sees everything committed before it, so a meeting's end committed while this batch
 * waited for a lock is seen. The meetings' rows are share-locked, so an end waits for this commit: what is
 * committed before the end is in the sealed document, nothing after it is. No statement when no document
 * of the batch is a meeting's.
 */
async function sealedDocuments(client: PoolClient, names: readonly string[]): Promise<Set<string>> {
  const meetingOf = new Map<string, string>();
  for (const name of names) {
    const meetingId = meetingIdOfDocName(name);
    if (meetingId !== undefined) meetingOf.set(name, meetingId);
  }
  const sealed = new Set<string>();
  if (meetingOf.size === 0) return sealed;
  const ended = await client.query<{ id: string; status: string }>(
    `SELECT id, status FROM meetings WHERE id = ANY($1::text[]) ORDER BY id FOR SHARE`,
    [[...new Set(meetingOf.values())]],
  );
  const endedIds = new Set(ended.rows.filter((row) => row.status === 'ended').map((row) => row.id));
  for (const [name, meetingId] of meetingOf) if (endedIds.has(meetingId)) sealed.add(name);
  return sealed;
}

/**
 * The erasure check and every write in one statement (data-modifying CTEs): the rows, the heads' new
 * counters and the new client bindings, each left out for a document that was erased. Returns the erased
 * documents of the batch.
 *
 * One statement, run after the head locks were taken: its snapshot is taken when it starts, so it sees every
 * erasure committed before this batch held the locks, and an erasure not yet committed waits for the lock
 * (it inserts into erased_documents and then locks the heads, networkEraser.ts), so it is not missed. The
 * writes only touch rows under locks this transaction holds (bindings are keyed by document too), so they
 * do not depend on when the statement starts either.
 */
async function writeUnlessErased(
  client: PoolClient,
  names: readonly string[],
  rows: readonly { docName: string; seq: number; data: Uint8Array }[],
  heads: ReadonlyMap<string, Head>,
  bindings: readonly { docName: string; clientId: number; participantId: string; at: string }[],
): Promise<Set<string>> {
  const touched = [...new Set(rows.map((row) => row.docName))];
  // DO NOTHING: a binding is never changed once made (the sync server refuses a client id bound to another).
  const result = await client.query<{ doc_name: string }>(
    `WITH erased AS (
       SELECT doc_name FROM erased_documents WHERE doc_name = ANY($1::text[])
     ), appended AS (
       INSERT INTO doc_updates (doc_name, seq, data)
       SELECT * FROM unnest($2::text[], $3::bigint[], $4::bytea[]) AS u(name, seq, data) WHERE u.name NOT IN (SELECT doc_name FROM erased)
     ), counted AS (
       UPDATE doc_heads SET last_seq = u.seq FROM unnest($5::text[], $6::bigint[]) AS u(name, seq)
       WHERE doc_heads.doc_name = u.name AND u.name NOT IN (SELECT doc_name FROM erased)
     ), bound AS (
       INSERT INTO doc_clients (doc_name, client_id, participant_id, first_seen_at)
       SELECT * FROM unnest($7::text[], $8::bigint[], $9::text[], $10::text[]) AS u(name, client_id, participant_id, at)
       WHERE u.name NOT IN (SELECT doc_name FROM erased) ON CONFLICT DO NOTHING
     )
     SELECT doc_name FROM erased`,
    [
      names,
      rows.map((row) => row.docName),
      rows.map((row) => row.seq),
      rows.map((row) => row.data),
      touched,
      touched.map((name) => heads.get(name)?.lastSeq ?? 0),
      bindings.map((b) => b.docName),
      bindings.map((b) => b.clientId),
      bindings.map((b) => b.participantId),
      bindings.map((b) => b.at),
    ],
  );
  return new Set(result.rows.map((row) => row.doc_name));
}
