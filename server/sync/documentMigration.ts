import type * as Y from 'yjs';
import { docKindOf, migrateDoc, SCHEMA_VERSION_FIELD } from '../../shared/doc/docMigrations.ts';
import { getMeta, getNetworkMeta } from '../../shared/doc/schema.ts';
import type { Logger } from '../log.ts';
import { DocumentSealedError } from '../store/docStore.ts';
import { SERVER_MIGRATION } from './origins.ts';

/**
 * Brings a document just loaded from the store to this release's layout, before anyone receives a byte of
 * it: the steps run on the live document, and what they changed is stored through `write` before the load
 * completes, so every client gets the migrated document and a restart loads it. An ended meeting's
 * document is sealed and keeps its stored bytes: it is migrated in memory only, for those who read it.
 * Documents other than meetings' and networks' are left alone. A document from a newer release fails the
 * load (NewerDocumentError), untouched.
 *
 * The live document's own update listener is not told (updates are reported only from its `apply`), so
 * the migration is written once, here.
 */
export async function migrateLoadedDocument(docName: string, doc: Y.Doc, write: (updates: readonly Uint8Array[]) => Promise<unknown>, logger: Logger): Promise<void> {
  const kind = docKindOf(docName);
  if (!kind) return;
  const changes: Uint8Array[] = [];
  const collect = (update: Uint8Array): void => void changes.push(update);
  doc.on('update', collect);
  let versions: { from: number; to: number };
  try {
    versions = migrateDoc(doc, kind, SERVER_MIGRATION);
  } finally {
    doc.off('update', collect);
  }
  if (changes.length === 0) return;
  try {
    await write(changes);
    logger.info('sync_doc_migrated', versions);
  } catch (error) {
    if (!(error instanceof DocumentSealedError)) throw error;
    logger.info('sync_doc_migrated_in_memory', versions);
  }
}

/**
 * For `checkTwin`: refuses a client's update that changes the layout version (or removes it). Only the
 * server writes it; a client that set a higher one would stop the document from loading ever after, one
 * that lowered it would have steps run twice. Undefined for documents that carry no version.
 */
export function layoutVersionGuard(docName: string): ((twin: Y.Doc, live: Y.Doc) => void) | undefined {
  const kind = docKindOf(docName);
  if (!kind) return undefined;
  const versionOf = (doc: Y.Doc): unknown => (kind === 'meeting' ? getMeta(doc) : getNetworkMeta(doc)).get(SCHEMA_VERSION_FIELD);
  return (twin, live) => {
    if (versionOf(twin) !== versionOf(live)) throw new Error('a client may not change the layout version');
  };
}
