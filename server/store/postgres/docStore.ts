import type { Pool, PoolClient } from 'pg';
import { meetingIdOfDocName } from '../../../shared/media/rooms.ts';
import { epochAllows, type AppendGroup, type AppendOutcome, type WriteRefusal } from '../docLog.ts';
import { refusalError, seqOf, type DocStore } from '../docStore.ts';
import { appendBatch } from './docAppendBatch.ts';
import type { DocCommitThread } from './docCommitThreadClient.ts';
import { inTransaction } from './transaction.ts';

interface Head {
  epoch: number;
  lastSeq: number;
}

/**
 * {@link DocStore} on PostgreSQL, safe with several writers (processes) on one database.
 *
 * Every write of a document first locks its `doc_heads` row (creating it on the first write), and under that
 * lock, in the same transaction, checks the erasure, the meeting's end and the writer's epoch, takes the next
 * sequence numbers from the row's counter (never MAX(seq)+1, which two writers could both read) and writes.
 * So writes of one document are serialised, its sequence numbers stay consecutive (storedLog counts rows from
 * them), a claim (which bumps the epoch under the same lock) fences every earlier claimer's later writes, and
 * a compaction deletes only the rows up to the sequence number its snapshot was taken at, which nobody else
 * can have written since the compacting writer claimed and loaded the document.
 *
 * Whoever erases a document must take the same row lock (and insert into erased_documents first), so that an
 * append in flight either lands before the erasure or is refused after it.
 *
 * Appends are group-committed across documents (see createGroupCommit): one transaction, and one wait for
 * the WAL flush (synchronous_commit is on for every connection, see database.ts), for every append made
 * while the previous batch was committing. With `commitThread` (the server's), each batch's transaction
 * runs there (the server's: routedDocCommits.ts) instead of on a connection of `pool`.
 */
export function createPostgresDocStore(pool: Pool, options: { commitThread?: DocCommitThread } = {}): DocStore {
  // A refused write throws inside the transaction, so the head row's upsert is rolled back with it.
  const write = <T>(docName: string, epoch: number | undefined, work: (client: PoolClient, head: Head) => Promise<T>): Promise<T> =>
    inTransaction(pool, async (client) => {
      const head = await lockHead(client, docName);
      const refused = await refusalOf(client, docName, head, epoch);
      if (refused) throw refusalError(refused);
      return work(client, head);
    });

  const { commitThread } = options;
  const appendMany = createGroupCommit(commitThread ? (groups) => commitThread.commit(groups) : (groups) => appendBatch(pool, groups));

  return {
    async claim(docName) {
      const result = await pool.query<{ epoch: string }>(
        `INSERT INTO doc_heads (doc_name, epoch) VALUES ($1, 1)
         ON CONFLICT (doc_name) DO UPDATE SET epoch = doc_heads.epoch + 1 RETURNING epoch`,
        [docName],
      );
      return Number(result.rows[0]?.epoch);
    },
    append: (docName, update, epoch) => appendMany({ docName, updates: [update], epoch }),
    appendMany: (docName, updates, clients, epoch) => appendMany({ docName, updates, clients, epoch }),
    async load(docName) {
      const rows = await pool.query<{ seq: string; data: Buffer }>('SELECT seq, data FROM doc_updates WHERE doc_name = $1 ORDER BY seq', [docName]);
      const clients = await pool.query<{ client_id: string; participant_id: string; first_seen_at: string }>(
        'SELECT client_id, participant_id, first_seen_at FROM doc_clients WHERE doc_name = $1',
        [docName],
      );
      return {
        updates: rows.rows.map((row) => new Uint8Array(row.data.buffer, row.data.byteOffset, row.data.byteLength)),
        lastSeq: Number(rows.rows.at(-1)?.seq ?? 0),
        clients: clients.rows.map((row) => ({ clientId: Number(row.client_id), participantId: row.participant_id, at: row.first_seen_at })),
      };
    },
    async compact(docName, snapshot, upToSeq, epoch) {
      await write(docName, epoch, async (client, head) => {
        // A snapshot cannot hold updates that were never written: that would be a caller's bug, and deleting
        // "up to" a number beyond the counter would later drop updates it never saw.
        if (upToSeq > head.lastSeq) throw new RangeError(`compaction up to ${upToSeq} but the document's last update is ${head.lastSeq}`);
        // The snapshot takes the sequence number of the last update it covers, so later rows keep their order.
        await client.query('DELETE FROM doc_updates WHERE doc_name = $1 AND seq <= $2', [docName, upToSeq]);
        await client.query('INSERT INTO doc_updates (doc_name, seq, data) VALUES ($1, $2, $3)', [docName, upToSeq, snapshot]);
      });
    },
    async count(docName) {
      const result = await pool.query<{ n: string }>('SELECT COUNT(*) AS n FROM doc_updates WHERE doc_name = $1', [docName]);
      return Number(result.rows[0]?.n ?? 0);
    },
  };
}

/** Locks the document's head row for the rest of the transaction (creating it if this is the first write). */
async function lockHead(client: PoolClient, docName: string): Promise<Head> {
  const result = await client.query<{ epoch: string; last_seq: string }>(
    `INSERT INTO doc_heads (doc_name) VALUES ($1)
     ON CONFLICT (doc_name) DO UPDATE SET doc_name = excluded.doc_name RETURNING epoch, last_seq`,
    [docName],
  );
  const row = result.rows[0];
  if (!row) throw new Error('doc_heads upsert returned no row');
  return { epoch: Number(row.epoch), lastSeq: Number(row.last_seq) };
}

/**
 * Why the write must not happen, checked after the head lock was taken: each statement of a READ COMMITTED
 * transaction sees everything committed before it, so an erasure or a meeting's end committed while this
 * writer waited for the lock is seen. The meeting row is share-locked, so an end waits for this write's
 * commit: what is committed before the end is in the sealed document, nothing after it is.
 */
async function refusalOf(client: PoolClient, docName: string, head: Head, epoch: number | undefined): Promise<WriteRefusal | undefined> {
  const erased = await client.query('SELECT 1 FROM erased_documents WHERE doc_name = $1', [docName]);
  if (erased.rowCount) return 'erased';
  const meetingId = meetingIdOfDocName(docName);
  if (meetingId !== undefined) {
    const meeting = await client.query<{ status: string }>('SELECT status FROM meetings WHERE id = $1 FOR SHARE', [meetingId]);
    if (meeting.rows[0]?.status === 'ended') return 'sealed';
  }
  return epochAllows(head.epoch, epoch) ? undefined : 'fenced';
}

interface PendingAppend {
  group: AppendGroup;
  resolve: (seq: number) => void;
  reject: (error: unknown) => void;
}

/**
 * Appends of any document made in one turn of the event loop, or while the previous batch was committing, go
 * into one transaction (appendBatch); each caller is answered only once that transaction has committed,
 * with its own group's sequence number or refusal: one document's erasure, sealing or fencing does not
 * fail the others. One batch is in flight at a time, so appends of one document commit in the order made.
 * If the transaction fails as a whole (the connection was lost), every append of it fails and nothing of
 * it was written.
 */
function createGroupCommit(commit: (groups: AppendGroup[]) => Promise<AppendOutcome[]>): (group: AppendGroup) => Promise<number> {
  let queued: PendingAppend[] = [];
  let inFlight = false;
  let scheduled = false;

  // Runs from setImmediate: it must not throw, and the chain it starts must not reject unhandled.
  const commitBatch = (): void => {
    scheduled = false;
    if (inFlight || queued.length === 0) return;
    const batch = queued;
    queued = [];
    inFlight = true;
    commit(batch.map((entry) => entry.group))
      .then(
        (outcomes) => settle(batch, outcomes),
        (error: unknown) => {
          for (const entry of batch) entry.reject(error);
        },
      )
      .finally(() => {
        inFlight = false;
        schedule();
      })
      .catch(() => {});
  };
  // setImmediate, not a microtask: every socket read of this loop turn joins the batch first.
  const schedule = (): void => {
    if (scheduled || inFlight || queued.length === 0) return;
    scheduled = true;
    setImmediate(commitBatch);
  };

  return (group) =>
    new Promise((resolve, reject) => {
      queued.push({ group, resolve, reject });
      schedule();
    });
}

function settle(batch: readonly PendingAppend[], outcomes: readonly AppendOutcome[]): void {
  batch.forEach((entry, index) => {
    try {
      entry.resolve(seqOf(outcomes[index]));
    } catch (error) {
      entry.reject(error);
    }
  });
}
