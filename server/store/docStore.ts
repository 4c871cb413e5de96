import type { DatabaseSync } from 'node:sqlite';
import { createSqliteDocLog, unpackUpdates, type AppendOutcome, type ClientBinding, type CompactOutcome, type WriteRefusal } from './docLog.ts';

/**
 * Durable storage of Yjs documents as an append-only log of updates per document name.
 * Async so that the log can live on a writer thread (see workerDocStore) or in PostgreSQL.
 *
 * Ownership (fencing): a writer that claims a document gets an epoch higher than any before; from then on
 * every append and compaction must carry the document's current epoch, checked in the same transaction as
 * the write, so a writer that lost the document to a later claim can no longer change it (DocumentFencedError).
 * A write without an epoch is allowed only while nobody has claimed the document (one writer, as on a laptop).
 * Sequence numbers of a document are consecutive (storedLog counts rows from them).
 */
export interface DocStore {
  /** Takes the document for the caller: returns its new epoch, which every earlier claim's writes now lack. */
  claim(docName: string): Promise<number>;
  /** Appends one update durably; resolves only once it is committed. Returns its sequence number. */
  append(docName: string, update: Uint8Array, epoch?: number): Promise<number>;
  /**
   * Appends several updates in one transaction (group commit); resolves once all are committed. `clients`
   * (new client-id bindings found in them) are committed in the same transaction.
   */
  appendMany(docName: string, updates: readonly Uint8Array[], clients?: readonly ClientBinding[], epoch?: number): Promise<number>;
  /**
   * Every stored update of the document, oldest first, with the last sequence number (0 when empty) and
   * the client-id bindings (absent from stores that keep none).
   */
  load(docName: string): Promise<{ updates: Uint8Array[]; lastSeq: number; clients?: ClientBinding[] }>;
  /**
   * Replaces the updates with seq <= `upToSeq` by `snapshot` in one transaction, so that either the old
   * history or the snapshot is there, never neither. Updates appended after `upToSeq` are kept. The caller
   * vouches that the snapshot holds every update up to `upToSeq`; the epoch check is what makes that true
   * with several writers (no other writer can have added one since the caller claimed and loaded it).
   */
  compact(docName: string, snapshot: Uint8Array, upToSeq: number, epoch?: number): Promise<void>;
  /** Number of stored rows for the document (for deciding when to compact, and for tests). */
  count(docName: string): Promise<number>;
}

/** Thrown when a write targets a document that was erased with its network; nothing is written. */
export class DocumentErasedError extends Error {
  constructor() {
    super('this document was erased');
    this.name = 'DocumentErasedError';
  }
}

/**
 * Thrown when a write targets an ended meeting's document: it is sealed, so nothing is written. The
 * meeting ended in this process or another (the ops CLI) after the update was applied in memory.
 */
export class DocumentSealedError extends Error {
  constructor() {
    super('this document is sealed: its meeting has ended');
    this.name = 'DocumentSealedError';
  }
}

/** Thrown when a write carries an epoch that is not the document's current one: another writer claimed it since. */
export class DocumentFencedError extends Error {
  constructor() {
    super('this document was claimed by another writer');
    this.name = 'DocumentFencedError';
  }
}

/** The error for a refused write. */
export function refusalError(refused: WriteRefusal): Error {
  if (refused === 'fenced') return new DocumentFencedError();
  return refused === 'sealed' ? new DocumentSealedError() : new DocumentErasedError();
}

/** The sequence number of a committed append, or the erasure or sealing that stopped it. */
export function seqOf(outcome: AppendOutcome | undefined): number {
  if (!outcome) throw new Error('no outcome for an append');
  if (!outcome.ok) throw refusalError(outcome.refused);
  return outcome.lastSeq;
}

/** Throws when a compaction was refused. */
export function checkCompacted(outcome: CompactOutcome): void {
  if (!outcome.ok) throw refusalError(outcome.refused);
}

/**
 * {@link DocStore} on SQLite in the calling thread: every write blocks the event loop for its fsync. For
 * tools and tests; the server uses the writer thread (openWorkerDocStore).
 */
export function createSqliteDocStore(db: DatabaseSync): DocStore {
  const log = createSqliteDocLog(db);
  return {
    claim: async (docName) => log.claim(docName),
    append: async (docName, update, epoch) => seqOf(log.append([{ docName, updates: [update], epoch }])[0]),
    appendMany: async (docName, updates, clients, epoch) => seqOf(log.append([{ docName, updates, clients, epoch }])[0]),
    async load(docName) {
      const packed = log.load(docName);
      return { updates: unpackUpdates(packed), lastSeq: packed.lastSeq, clients: packed.clients };
    },
    async compact(docName, snapshot, upToSeq, epoch) {
      checkCompacted(log.compact(docName, snapshot, upToSeq, epoch));
    },
    count: async (docName) => log.count(docName),
  };
}
