import type { DatabaseSync } from 'node:sqlite';
import { meetingIdOfDocName } from '../../shared/media/rooms.ts';
import { transaction } from './transaction.ts';

/** Updates for one document, as one entry of a group commit. */
export interface AppendGroup {
  docName: string;
  updates: readonly Uint8Array[];
  /** Yjs client ids first seen in these updates, with whom they were written by: committed with them. */
  clients?: readonly ClientBinding[] | undefined;
  /** The writer's ownership epoch (see DocStore.claim); undefined for a writer that never claimed the document. */
  epoch?: number | undefined;
}

/** A Yjs client id of a document and the participant (`user-<id>`, `member-<id>`) who writes with it. */
export interface ClientBinding {
  clientId: number;
  participantId: string;
  /** When the server first saw it (ISO 8601). */
  at: string;
}

/**
 * Per group: the sequence number of its last update, or why nothing of it was written: the document was
 * erased with its network, it is an ended meeting's document (sealed), or another writer claimed it after
 * this one (fenced: the epoch is not the document's current one).
 */
export type AppendOutcome = { ok: true; lastSeq: number } | { ok: false; refused: WriteRefusal };

export type WriteRefusal = 'erased' | 'sealed' | 'fenced';

/** A compaction that was made, or why it was not (nothing changed then). */
export type CompactOutcome = { ok: true } | { ok: false; refused: WriteRefusal };

/** A document's stored updates in one buffer (one transfer between threads instead of thousands). */
export interface PackedUpdates {
  bytes: Uint8Array<ArrayBuffer>;
  /** Offsets into `bytes`: update i is bytes[ends[i-1] ?? 0 .. ends[i]). */
  ends: Uint32Array<ArrayBuffer>;
  lastSeq: number;
  /** Every client id bound in this document (see ClientBinding). */
  clients: ClientBinding[];
}

/**
 * The synchronous SQLite core of the document log: an append-only table of updates per document name,
 * compacted by replacing a prefix with a snapshot. Both the in-thread store and the writer thread run it.
 */
export interface SqliteDocLog {
  /** Every group in one transaction (one fsync); a group whose document was erased or sealed is skipped. */
  append(groups: readonly AppendGroup[]): AppendOutcome[];
  load(docName: string): PackedUpdates;
  /**
   * Refused for an erased or sealed document. A sealed one stays exactly as it was at the end: the
   * snapshot of a loaded document may hold updates that were applied in memory but refused by the store.
   */
  compact(docName: string, snapshot: Uint8Array, upToSeq: number, epoch?: number): CompactOutcome;
  count(docName: string): number;
  /** A new ownership epoch for the document (see DocStore.claim). */
  claim(docName: string): number;
}

/**
 * Ownership epochs of SQLite documents, per database file. They live in memory, not in the database: SQLite
 * is written by one process (and in it by one thread: the document writer), so an epoch only has to outlive
 * the writers of this process, and BEGIN IMMEDIATE already serialises every write with the check before it.
 */
const epochsByFile = new Map<string, Map<string, number>>();

/** An in-memory database has no file name: its epochs are its own. */
const epochsInMemory = new WeakMap<DatabaseSync, Map<string, number>>();

function epochsOf(db: DatabaseSync): Map<string, number> {
  const file = db.location();
  const known = file === null ? epochsInMemory.get(db) : epochsByFile.get(file);
  if (known) return known;
  const epochs = new Map<string, number>();
  if (file === null) epochsInMemory.set(db, epochs);
  else epochsByFile.set(file, epochs);
  return epochs;
}

/** Whether a write with `epoch` may go ahead: it carries the current epoch, or nobody ever claimed the document. */
export function epochAllows(current: number, epoch: number | undefined): boolean {
  return epoch === undefined ? current === 0 : epoch === current;
}

/**
 * `epochs`: where the documents' ownership epochs are kept; by default the process-wide map of the database
 * file (see epochsOf). The writer thread's store keeps its own record of the thread's claims: a new thread
 * starts from it, and the event-loop connection fences by it (see workerDocStore).
 */
export function createSqliteDocLog(db: DatabaseSync, epochs: Map<string, number> = epochsOf(db)): SqliteDocLog {
  const lastSeq = db.prepare('SELECT COALESCE(MAX(seq), 0) AS seq FROM doc_updates WHERE doc_name = ?');
  const insert = db.prepare('INSERT INTO doc_updates (doc_name, seq, data) VALUES (?, ?, ?)');
  const selectAll = db.prepare('SELECT seq, data FROM doc_updates WHERE doc_name = ? ORDER BY seq');
  selectAll.setReturnArrays(true);
  const deleteUpTo = db.prepare('DELETE FROM doc_updates WHERE doc_name = ? AND seq <= ?');
  const countRows = db.prepare('SELECT COUNT(*) AS n FROM doc_updates WHERE doc_name = ?');
  // Checked inside each write transaction, so an erasure or a meeting's end by another connection (the ops
  // CLI, another process) is never raced past: what is committed before the end is in the sealed document,
  // nothing after it is.
  const erased = db.prepare('SELECT 1 FROM erased_documents WHERE doc_name = ?');
  const ended = db.prepare("SELECT 1 FROM meetings WHERE id = ? AND status = 'ended'");
  const refusalOf = (docName: string, epoch: number | undefined): WriteRefusal | undefined => {
    if (erased.get(docName)) return 'erased';
    const meetingId = meetingIdOfDocName(docName);
    if (meetingId !== undefined && ended.get(meetingId)) return 'sealed';
    return epochAllows(epochs.get(docName) ?? 0, epoch) ? undefined : 'fenced';
  };
  // OR IGNORE: a binding is never changed once made (the sync server refuses a client id bound to another).
  const bindClient = db.prepare('INSERT OR IGNORE INTO doc_clients (doc_name, client_id, participant_id, first_seen_at) VALUES (?, ?, ?, ?)');
  const selectClients = db.prepare('SELECT client_id, participant_id, first_seen_at FROM doc_clients WHERE doc_name = ?');

  const appendGroup = (group: AppendGroup): AppendOutcome => {
    const refused = refusalOf(group.docName, group.epoch);
    if (refused) return { ok: false, refused };
    let seq = Number(lastSeq.get(group.docName)?.['seq'] ?? 0);
    for (const update of group.updates) insert.run(group.docName, ++seq, update);
    for (const client of group.clients ?? []) bindClient.run(group.docName, client.clientId, client.participantId, client.at);
    return { ok: true, lastSeq: seq };
  };

  return {
    append: (groups) => transaction(db, () => groups.map(appendGroup)),
    load(docName) {
      const rows = selectAll.all(docName) as unknown as [number | bigint, Uint8Array][];
      const clients = selectClients.all(docName).map((row) => ({ clientId: Number(row['client_id']), participantId: String(row['participant_id']), at: String(row['first_seen_at']) }));
      return { ...packRows(rows), clients };
    },
    compact(docName, snapshot, upToSeq, epoch) {
      // The snapshot takes the sequence number of the last update it covers, so later rows keep their order.
      return transaction(db, (): CompactOutcome => {
        const refused = refusalOf(docName, epoch);
        if (refused) return { ok: false, refused };
        const last = Number(lastSeq.get(docName)?.['seq'] ?? 0);
        // A snapshot cannot hold updates that were never written: that is a caller's bug, and the snapshot's
        // number beyond the last would make later appends skip numbers.
        if (upToSeq > last) throw new RangeError(`compaction up to ${upToSeq} but the document's last update is ${last}`);
        deleteUpTo.run(docName, upToSeq);
        insert.run(docName, upToSeq, snapshot);
        return { ok: true };
      });
    },
    count: (docName) => Number(countRows.get(docName)?.['n'] ?? 0),
    claim(docName) {
      const epoch = (epochs.get(docName) ?? 0) + 1;
      epochs.set(docName, epoch);
      return epoch;
    },
  };
}

function packRows(rows: readonly [number | bigint, Uint8Array][]): Omit<PackedUpdates, 'clients'> {
  let total = 0;
  for (const [, data] of rows) total += data.byteLength;
  const bytes = new Uint8Array(total);
  const ends = new Uint32Array(rows.length);
  let offset = 0;
  rows.forEach(([, data], index) => {
    bytes.set(data, offset);
    offset += data.byteLength;
    ends[index] = offset;
  });
  const last = rows.at(-1);
  return { bytes, ends, lastSeq: last ? Number(last[0]) : 0 };
}

/** The updates of a packed load as views into its one buffer (no copies). */
export function unpackUpdates(packed: PackedUpdates): Uint8Array[] {
  const updates: Uint8Array[] = [];
  let start = 0;
  for (const end of packed.ends) {
    updates.push(packed.bytes.subarray(start, end));
    start = end;
  }
  return updates;
}
