import type { DatabaseSync } from 'node:sqlite';
import { transaction } from './transaction.ts';

/**
 * Durable storage of Yjs documents as an append-only log of updates per document name.
 * Async so that a PostgreSQL implementation can stand behind the same shape.
 */
export interface DocStore {
  /** Appends one update durably; resolves only once it is committed. Returns its sequence number. */
  append(docName: string, update: Uint8Array): Promise<number>;
  /** Appends several updates in one transaction (group commit); resolves once all are committed. */
  appendMany(docName: string, updates: readonly Uint8Array[]): Promise<number>;
  /** Every stored update of the document, oldest first, with the last sequence number (0 when empty). */
  load(docName: string): Promise<{ updates: Uint8Array[]; lastSeq: number }>;
  /**
   * Replaces the updates with seq <= `upToSeq` by `snapshot` in one transaction, so that either the old
   * history or the snapshot is there, never neither. Updates appended after `upToSeq` are kept.
   */
  compact(docName: string, snapshot: Uint8Array, upToSeq: number): Promise<void>;
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

/** {@link DocStore} on SQLite. Statements are prepared once. */
export function createSqliteDocStore(db: DatabaseSync): DocStore {
  const lastSeq = db.prepare('SELECT COALESCE(MAX(seq), 0) AS seq FROM doc_updates WHERE doc_name = ?');
  const insert = db.prepare('INSERT INTO doc_updates (doc_name, seq, data) VALUES (?, ?, ?)');
  const selectAll = db.prepare('SELECT seq, data FROM doc_updates WHERE doc_name = ? ORDER BY seq');
  const deleteUpTo = db.prepare('DELETE FROM doc_updates WHERE doc_name = ? AND seq <= ?');
  const countRows = db.prepare('SELECT COUNT(*) AS n FROM doc_updates WHERE doc_name = ?');
  const erased = db.prepare('SELECT 1 FROM erased_documents WHERE doc_name = ?');
  // Checked inside each write transaction, so an erasure by another process is never raced past.
  const refuseErased = (docName: string): void => {
    if (erased.get(docName)) throw new DocumentErasedError();
  };

  const appendAll = (docName: string, updates: readonly Uint8Array[]): number =>
    transaction(db, () => {
      refuseErased(docName);
      let seq = Number(lastSeq.get(docName)?.['seq'] ?? 0);
      for (const update of updates) insert.run(docName, ++seq, update);
      return seq;
    });

  return {
    async append(docName, update) {
      return appendAll(docName, [update]);
    },
    async appendMany(docName, updates) {
      return appendAll(docName, updates);
    },
    async load(docName) {
      const rows = selectAll.all(docName);
      const updates = rows.map((row) => new Uint8Array(row['data'] as Uint8Array));
      const last = rows.at(-1);
      return { updates, lastSeq: last ? Number(last['seq']) : 0 };
    },
    async compact(docName, snapshot, upToSeq) {
      // The snapshot takes the sequence number of the last update it covers, so later rows keep their order.
      transaction(db, () => {
        refuseErased(docName);
        deleteUpTo.run(docName, upToSeq);
        insert.run(docName, upToSeq, snapshot);
      });
    },
    async count(docName) {
      return Number(countRows.get(docName)?.['n'] ?? 0);
    },
  };
}
