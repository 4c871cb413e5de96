import pg, { type PoolClient, type QueryResult } from 'pg';
import { meetingIdOfDocName } from '../../../shared/media/rooms.ts';
import { epochAllows, type AppendGroup, type AppendOutcome, type WriteRefusal } from '../docLog.ts';

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
 * under load each costs about as much as the commit's own flush, so they are kept few: BEGIN and the head
 * locks, the refusals (a statement of its own, see refusedDocuments), the writes, COMMIT.
 */
export async function appendBatch(client: PoolClient, groups: readonly AppendGroup[]): Promise<AppendOutcome[]> {
  const names = [...new Set(groups.map((group) => group.docName))].sort();
  const { heads, created } = await lockHeads(client, names);
  const refusedDocs = await refusedDocuments(client, names);
  const rows: { docName: string; seq: number; data: Uint8Array }[] = [];
  const bindings: { docName: string; clientId: number; participantId: string; at: string }[] = [];
  const outcomes = groups.map((group): AppendOutcome => {
    const head = heads.get(group.docName);
    if (!head) throw new Error('no head row for a document of the batch');
    const refused = refusedDocs.get(group.docName) ?? (epochAllows(head.epoch, group.epoch) ? undefined : 'fenced');
    if (refused) return { ok: false, refused };
    for (const data of group.updates) rows.push({ docName: group.docName, seq: ++head.lastSeq, data });
    for (const binding of group.clients ?? []) bindings.push({ docName: group.docName, ...binding });
    return { ok: true, lastSeq: head.lastSeq };
  });
  await writeRows(client, rows, heads, bindings);
  // A head made only for a document nothing was written to goes again, as it would with a rollback: an
  // erased document keeps no row naming it.
  const written = new Set(rows.map((row) => row.docName));
  const unused = created.filter((name) => !written.has(name));
  if (unused.length > 0) await client.query('DELETE FROM doc_heads WHERE doc_name = ANY($1::text[]) AND last_seq = 0 AND epoch = 0', [unused]);
  return outcomes;
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
 * Documents whose writes must not happen, read after their head locks were taken: each statement of a READ
 * COMMITTED transaction sees everything committed before it, so an erasure or a meeting's end committed
 * while this batch waited for a lock is seen. The meetings' rows are share-locked, so an end waits for this
 * commit: what is committed before the end is in the sealed document, nothing after it is.
 */
async function refusedDocuments(client: PoolClient, names: readonly string[]): Promise<Map<string, WriteRefusal>> {
  const refused = new Map<string, WriteRefusal>();
  const meetingOf = new Map<string, string>();
  for (const name of names) {
    const meetingId = meetingIdOfDocName(name);
    if (meetingId !== undefined) meetingOf.set(name, meetingId);
  }
  if (meetingOf.size > 0) {
    const ended = await client.query<{ id: string; status: string }>(
      `SELECT id, status FROM meetings WHERE id = ANY($1::text[]) ORDER BY id FOR SHARE`,
      [[...new Set(meetingOf.values())]],
    );
    const endedIds = new Set(ended.rows.filter((row) => row.status === 'ended').map((row) => row.id));
    for (const [name, meetingId] of meetingOf) if (endedIds.has(meetingId)) refused.set(name, 'sealed');
  }
  const erased = await client.query<{ doc_name: string }>('SELECT doc_name FROM erased_documents WHERE doc_name = ANY($1::text[])', [names]);
  for (const row of erased.rows) refused.set(row.doc_name, 'erased');
  return refused;
}

/**
 * The rows, the heads' new counters and the new client bindings in one statement (data-modifying CTEs): one
 * round trip instead of three, as each costs a wake-up of the backend and of this process while the
 * editors wait for the commit. All three only write rows whose head locks this transaction already holds
 * (bindings are keyed by document too), so what they read does not depend on when the statement starts.
 */
async function writeRows(
  client: PoolClient,
  rows: readonly { docName: string; seq: number; data: Uint8Array }[],
  heads: ReadonlyMap<string, Head>,
  bindings: readonly { docName: string; clientId: number; participantId: string; at: string }[],
): Promise<void> {
  if (rows.length === 0) return;
  const touched = [...new Set(rows.map((row) => row.docName))];
  // DO NOTHING: a binding is never changed once made (the sync server refuses a client id bound to another).
  await client.query(
    `WITH appended AS (
       INSERT INTO doc_updates (doc_name, seq, data) SELECT * FROM unnest($1::text[], $2::bigint[], $3::bytea[])
     ), counted AS (
       UPDATE doc_heads SET last_seq = u.seq FROM unnest($4::text[], $5::bigint[]) AS u(name, seq) WHERE doc_heads.doc_name = u.name
     )
     INSERT INTO doc_clients (doc_name, client_id, participant_id, first_seen_at)
     SELECT * FROM unnest($6::text[], $7::bigint[], $8::text[], $9::text[]) ON CONFLICT DO NOTHING`,
    [
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
}
