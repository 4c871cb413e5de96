import * as Y from 'yjs';

/**
 * Every top-level key of a meeting's shared-space document. Only the accessors below call
 * `doc.getX(key)`, so a key's type is fixed in one place (Yjs cannot change a key's type later).
 */
export const MEETING_DOC_KEYS = {
  /** Rich-text notes, a ProseMirror document bound through y-prosemirror. */
  notes: 'notes',
  /** Document metadata such as the schema version. */
  meta: 'meta',
} as const;

/** Version of the document layout; bump it with a migration when a key changes shape. */
export const MEETING_DOC_SCHEMA_VERSION = 1;

/** The notes fragment (a Y.XmlFragment holding ProseMirror nodes). */
export function getNotes(doc: Y.Doc): Y.XmlFragment {
  return doc.getXmlFragment(MEETING_DOC_KEYS.notes);
}

/** The metadata map. */
export function getMeta(doc: Y.Doc): Y.Map<unknown> {
  return doc.getMap(MEETING_DOC_KEYS.meta);
}

/**
 * Plain text of the notes, paragraphs joined by newlines. For exports and tests; never for logs.
 * Returns '' for an empty document.
 */
export function notesPlainText(doc: Y.Doc): string {
  return getNotes(doc)
    .toArray()
    .map((node) => xmlText(node))
    .join('\n');
}

function xmlText(node: Y.XmlElement | Y.XmlText | Y.XmlHook): string {
  if (node instanceof Y.XmlText) {
    // The delta, not toString(): toString() renders marks as tags and would garble a typed "<".
    const ops = node.toDelta() as { insert?: unknown }[];
    return ops.map((op) => (typeof op.insert === 'string' ? op.insert : '')).join('');
  }
  if (node instanceof Y.XmlElement) return node.toArray().map((child) => xmlText(child)).join('');
  return '';
}
