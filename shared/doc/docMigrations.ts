import type * as Y from 'yjs';
import { meetingIdOfDocName, networkIdOfDocName } from '../media/rooms.ts';
import { getMeta, getNetworkMeta, MEETING_DOC_SCHEMA_VERSION, NETWORK_DOC_SCHEMA_VERSION } from './schema.ts';

/** The two kinds of shared document, each with its own layout and version. */
export type DocKind = 'meeting' | 'network';

/** The field of a document's `meta` map holding its layout version (a positive integer). */
export const SCHEMA_VERSION_FIELD = 'schemaVersion';

/** What a document written before versions existed is: the first layout. */
export const FIRST_DOC_SCHEMA_VERSION = 1;

/** The layout version this release writes and reads, per kind. */
export const DOC_SCHEMA_VERSIONS: Readonly<Record<DocKind, number>> = {
  meeting: MEETING_DOC_SCHEMA_VERSION,
  network: NETWORK_DOC_SCHEMA_VERSION,
};

/**
 * One step of a document's layout, from version `from` to `from + 1`. It runs inside the transaction of
 * {@link migrateDoc}, on the server (never in a client), and must be safe on any document of version
 * `from`, however it was written: read through the accessors' tolerant parsers, write only what it moves.
 */
export interface DocMigration {
  readonly from: number;
  /** What the step changes, for the log and for reviewers. */
  readonly describe: string;
  migrate(doc: Y.Doc): void;
}

/**
 * The steps, per kind, in order. Empty while both layouts are at version 1; a release that changes a
 * key's shape raises the version in `schema.ts` and adds its step here (the unit test checks the chain).
 */
export const DOC_MIGRATIONS: Readonly<Record<DocKind, readonly DocMigration[]>> = {
  meeting: [],
  network: [],
};

/** Thrown for a document written by a newer release (its version is above this one's): it is not touched. */
export class NewerDocumentError extends Error {
  readonly version: number;

  constructor(kind: DocKind, version: number) {
    super(`This ${kind} document has layout version ${version}, newer than this release knows (${DOC_SCHEMA_VERSIONS[kind]}).`);
    this.name = 'NewerDocumentError';
    this.version = version;
  }
}

/** Which kind a document is by its name (`meeting-<id>`, `network-<id>`); undefined for any other name. */
export function docKindOf(docName: string): DocKind | undefined {
  if (meetingIdOfDocName(docName) !== undefined) return 'meeting';
  return networkIdOfDocName(docName) !== undefined ? 'network' : undefined;
}

/**
 * The layout version a document holds: {@link FIRST_DOC_SCHEMA_VERSION} when none is stored (written before
 * versions existed). A value that is not a positive integer is read as the first version too: only the
 * server writes it, and a client that wrote nonsense there must not stop the document from loading.
 */
export function docSchemaVersion(doc: Y.Doc, kind: DocKind): number {
  const stored = metaOf(doc, kind).get(SCHEMA_VERSION_FIELD);
  return typeof stored === 'number' && Number.isInteger(stored) && stored >= FIRST_DOC_SCHEMA_VERSION ? stored : FIRST_DOC_SCHEMA_VERSION;
}

/**
 * Brings a document to this release's layout: each missing step in order, then the version written, all in
 * one transaction with `origin`. Does nothing (no transaction, no update) when the document already holds
 * the current version. Throws {@link NewerDocumentError} for a newer document, without changing it.
 */
export function migrateDoc(doc: Y.Doc, kind: DocKind, origin: unknown, steps: readonly DocMigration[] = DOC_MIGRATIONS[kind], target = DOC_SCHEMA_VERSIONS[kind]): { from: number; to: number } {
  const meta = metaOf(doc, kind);
  const from = docSchemaVersion(doc, kind);
  if (from > target) throw new NewerDocumentError(kind, from);
  if (from === target && meta.get(SCHEMA_VERSION_FIELD) === target) return { from, to: target };
  const chain: DocMigration[] = [];
  for (let version = from; version < target; version++) {
    const step = steps.find((s) => s.from === version);
    if (!step) throw new Error(`no ${kind} document migration from version ${version}`);
    chain.push(step);
  }
  doc.transact(() => {
    for (const step of chain) step.migrate(doc);
    meta.set(SCHEMA_VERSION_FIELD, target);
  }, origin);
  return { from, to: target };
}

function metaOf(doc: Y.Doc, kind: DocKind): Y.Map<unknown> {
  return kind === 'meeting' ? getMeta(doc) : getNetworkMeta(doc);
}
