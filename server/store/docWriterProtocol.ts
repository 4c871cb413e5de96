import type { AppendGroup, AppendOutcome, CompactOutcome, PackedUpdates } from './docLog.ts';

/** What the main thread asks the document writer thread (workerDocStore ↔ docWriterThread). */
export type DocWriterRequest =
  | { id: number; op: 'append'; groups: AppendGroup[] }
  | { id: number; op: 'load'; docName: string }
  | { id: number; op: 'compact'; docName: string; snapshot: Uint8Array; upToSeq: number; epoch: number | undefined }
  | { id: number; op: 'count'; docName: string }
  | { id: number; op: 'claim'; docName: string };

export type DocWriterResult = AppendOutcome[] | PackedUpdates | CompactOutcome | number;

/** The answer to request `id`; an error travels as its name and message (no stack, no document bytes). */
export type DocWriterResponse = { id: number; ok: true; result: DocWriterResult } | { id: number; ok: false; name: string; message: string };

/** What the writer thread is started with (workerData). */
export interface DocWriterConfig {
  dataDir: string;
  /**
   * The ownership epochs claimed so far, as the main thread recorded each answer: a thread that replaces one
   * that died goes on from them, so a claim it answers supersedes every earlier one (see workerDocStore).
   */
  epochs: [docName: string, epoch: number][];
}
