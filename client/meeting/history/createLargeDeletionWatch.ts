import { createSignal, onCleanup } from 'solid-js';
import type * as Y from 'yjs';
import { isLargeDeletion, LARGE_DELETION_MIN_CHARS } from '../../../shared/doc/largeDeletion.ts';
import { notesText, readNotesContent, showingBefore } from '../../../shared/doc/notesContent.ts';
import { getNotes } from '../../../shared/doc/schema.ts';

/** One large deletion seen in the notes: whether this screen made it, and when it arrived. */
export interface SeenDeletion {
  byMe: boolean;
  seenAt: number;
}

/**
 * Watches the meeting's notes for one edit that removes much of them (shared/doc/largeDeletion.ts), whoever
 * made it. The check is cheap for ordinary typing: only a transaction that deleted at least as many items
 * as the threshold's characters has the notes read before and after.
 */
export function createLargeDeletionWatch(doc: Y.Doc) {
  const [seen, setSeen] = createSignal<SeenDeletion>();
  const fragment = getNotes(doc);
  const onTransaction = (transaction: Y.Transaction): void => {
    if (deletedItems(transaction) < LARGE_DELETION_MIN_CHARS) return;
    const before = notesText(readNotesContent(fragment, showingBefore(transaction))).length;
    const after = notesText(readNotesContent(fragment)).length;
    if (isLargeDeletion(before, after)) setSeen({ byMe: transaction.local, seenAt: Date.now() });
  };
  doc.on('afterTransaction', onTransaction);
  onCleanup(() => doc.off('afterTransaction', onTransaction));
  return { seen, clear: () => setSeen(undefined) };
}

function deletedItems(transaction: Y.Transaction): number {
  let count = 0;
  for (const ranges of transaction.deleteSet.clients.values()) for (const range of ranges) count += range.len;
  return count;
}
