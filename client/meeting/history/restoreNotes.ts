import { Node } from 'prosemirror-model';
import { prosemirrorToYXmlFragment, ySyncPluginKey } from 'y-prosemirror';
import type * as Y from 'yjs';
import type { NotesNode } from '../../../shared/doc/notesContent.ts';
import { getNotes } from '../../../shared/doc/schema.ts';
import { notesSchema } from '../notes/notesSchema.ts';

/**
 * Makes the shared notes read as `notes` (a version from the history), in one Yjs transaction written by this
 * person's client: everyone sees it at once, the server keeps it as a new version (a restore), and the
 * restorer's own undo (Ctrl+Z or the Undo button) takes it back, since it carries the editor's own origin.
 * Only what differs is rewritten (y-prosemirror's diff), so unchanged passages keep their authors.
 * Throws when the version does not fit the editor's schema; then nothing changed.
 */
export function restoreNotes(doc: Y.Doc, notes: NotesNode): void {
  const node = Node.fromJSON(notesSchema(() => undefined), notes);
  doc.transact(() => void prosemirrorToYXmlFragment(node, getNotes(doc)), ySyncPluginKey);
}
