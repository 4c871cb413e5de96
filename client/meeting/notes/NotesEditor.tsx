import { createEffect, on, onCleanup, onMount } from 'solid-js';
import { EditorState } from 'prosemirror-state';
import { EditorView } from 'prosemirror-view';
import { keymap } from 'prosemirror-keymap';
import { baseKeymap } from 'prosemirror-commands';
import * as Y from 'yjs';
import { redo, undo, yCursorPlugin, ySyncPlugin, ySyncPluginKey, yUndoPlugin } from 'y-prosemirror';
import { readParticipants } from '../../../shared/doc/participants.ts';
import { getNotes } from '../../../shared/doc/schema.ts';
import type { SharedDoc } from '../doc/createSharedDoc.ts';
import { notesSchema } from './notesSchema.ts';

/**
 * The shared notes: a ProseMirror editor bound to the document's notes fragment, showing everyone's
 * cursor with their name. Undo only undoes one's own typing, never someone else's. With `showAuthors` on,
 * it shows the notes as they are now, each passage marked with who wrote it, read-only, kept up to date.
 */
export function NotesEditor(props: {
  meetingDoc: SharedDoc;
  authorship: Y.PermanentUserData;
  showAuthors: boolean;
  labelledBy: string;
  describedBy: string;
}) {
  let host: HTMLDivElement | undefined;
  onMount(() => {
    if (!host) return;
    const doc = props.meetingDoc.doc;
    const view = new EditorView(host, {
      state: EditorState.create({
        schema: notesSchema((id) => readParticipants(doc).get(id)?.name),
        plugins: [
          ySyncPlugin(getNotes(doc), { permanentUserData: props.authorship }),
          yCursorPlugin(props.meetingDoc.awareness),
          yUndoPlugin(),
          keymap({ 'Mod-z': undo, 'Mod-y': redo, 'Mod-Shift-z': redo }),
          keymap(baseKeymap),
        ],
      }),
      attributes: {
        role: 'textbox',
        'aria-multiline': 'true',
        'aria-labelledby': props.labelledBy,
        'aria-describedby': props.describedBy,
        class: 'notes-editor',
      },
    });
    const binding = () => ySyncPluginKey.getState(view.state)?.binding as { renderSnapshot(s: Y.Snapshot, p: Y.Snapshot): void; unrenderSnapshot(): void } | undefined;
    // While authors are shown, every change re-renders the marked notes as they now are.
    const renderAuthors = () => binding()?.renderSnapshot(Y.snapshot(doc), Y.emptySnapshot);
    createEffect(
      on(
        () => props.showAuthors,
        (show, wasShown) => {
          if (show) {
            renderAuthors();
            doc.on('update', renderAuthors);
            onCleanup(() => doc.off('update', renderAuthors));
          } else if (wasShown) {
            binding()?.unrenderSnapshot();
          }
        },
      ),
    );
    onCleanup(() => view.destroy());
  });
  return <div ref={host} class="notes-host" />;
}
