import { errorFields, type Logger } from '../log.ts';
import type { ClientBinding } from '../store/docLog.ts';
import { DocumentFencedError, DocumentSealedError, type DocStore } from '../store/docStore.ts';

export type CompactionResult = { compacted: false } | { compacted: true; rowsBefore: number; bytesAfter: number };

/**
 * A loaded document's stored log: its appends go through here, and the log is kept short by replacing
 * the committed rows with one snapshot of the live document: in the background once `compactAfterRows`
 * rows have piled up, and when the document is unloaded. So a restart, even after `kill -9`, loads one
 * snapshot and at most that many rows, not the meeting's whole keystroke history.
 *
 * The snapshot comes from the live Y.Doc, which holds every committed row (updates are applied before they
 * are written) and garbage-collects deleted content, so text written and deleted stops taking space. It
 * may hold updates still being written too; storing them twice is harmless (Yjs applies idempotently).
 */
export interface StoredLog {
  /** Appends updates, and the client-id bindings they bring, in one transaction. */
  write(updates: readonly Uint8Array[], clients?: readonly ClientBinding[]): Promise<number>;
  /** Compacts everything committed so far (after any compaction already running), unless it is one row. Never rejects. */
  compact(): Promise<CompactionResult>;
  /** Bytes the document takes in the store, counting writes on their way: what its quota is checked against. */
  readonly bytes: number;
  /** Whether a compaction could make the stored document smaller (more than one row, one running, or writes on their way). */
  readonly compactable: boolean;
}

export interface StoredLogDeps {
  store: DocStore;
  docName: string;
  /** The epoch this process's claim on the document got: every append and compaction carries it. */
  epoch: number;
  /** Rows, their bytes and the last sequence number found at load. */
  rows: number;
  bytes: number;
  lastSeq: number;
  compactAfterRows: number;
  /**
   * Bytes written since the last compaction after which the log is compacted in the background, so that
   * text written and deleted again (which the snapshot drops) does not fill the document's quota.
   */
  compactAfterBytes: number;
  /** The live document's full state, or null when it must not be compacted (a write failed). */
  snapshot(): Uint8Array | null;
  logger: Logger;
  /**
   * A compaction was refused because another writer claimed the document since (DocumentFencedError): this
   * process must stop serving it. (A refused append reaches the owner through the write's own rejection.)
   */
  onFenced(error: DocumentFencedError): void;
}

export function createStoredLog(deps: StoredLogDeps): StoredLog {
  let rows = deps.rows;
  let committedSeq = deps.lastSeq;
  // `bytes` counts writes from the moment they are handed over; `committedBytes` once they are stored.
  let bytes = deps.bytes;
  let committedBytes = deps.bytes;
  let bytesAfterCompaction = deps.bytes;
  let running: Promise<CompactionResult> | null = null;

  const compactOnce = async (): Promise<CompactionResult> => {
    const snapshot = rows > 1 ? deps.snapshot() : null;
    if (!snapshot) return { compacted: false };
    const upToSeq = committedSeq;
    const replacedBytes = committedBytes;
    const rowsBefore = rows;
    await deps.store.compact(deps.docName, snapshot, upToSeq, deps.epoch);
    // Sequence numbers are consecutive, so the rows kept are those committed since the snapshot was taken.
    rows = 1 + (committedSeq - upToSeq);
    bytes = snapshot.byteLength + (bytes - replacedBytes);
    committedBytes = snapshot.byteLength + (committedBytes - replacedBytes);
    bytesAfterCompaction = bytes;
    return { compacted: true, rowsBefore, bytesAfter: snapshot.byteLength };
  };

  const compact = async (): Promise<CompactionResult> => {
    while (running) await running;
    running = compactOnce()
      .catch((error: unknown) => {
        // The log is still whole (compaction is one transaction); the next trigger tries again. An ended
        // meeting's document is never compacted: it stays as it was stored at the end. One another writer
        // took is not ours to compact ever again.
        if (error instanceof DocumentFencedError) deps.onFenced(error);
        else if (!(error instanceof DocumentSealedError)) deps.logger.warn('sync_doc_compaction_failed', errorFields(error));
        return { compacted: false as const };
      })
      .then((result) => {
        running = null;
        if (!result.compacted) return result;
        deps.logger.info('sync_doc_compacted', result);
        // Writes committed while it ran may have made the log due again; they found it running and waited.
        if (due()) void compact();
        return result;
      });
    return running;
  };
  const due = (): boolean => rows >= deps.compactAfterRows || bytes - bytesAfterCompaction >= deps.compactAfterBytes;

  return {
    async write(updates, clients) {
      let size = 0;
      for (const update of updates) size += update.byteLength;
      bytes += size;
      let seq: number;
      try {
        seq = await deps.store.appendMany(deps.docName, updates, clients, deps.epoch);
      } catch (error) {
        bytes -= size;
        throw error;
      }
      committedSeq = seq;
      committedBytes += size;
      rows += updates.length;
      if (due() && !running) void compact();
      return seq;
    },
    compact,
    get bytes() {
      return bytes;
    },
    get compactable() {
      // Writes still in flight become rows a compaction can fold in once they are committed.
      return rows > 1 || running !== null || bytes !== committedBytes;
    },
  };
}
