import { onCleanup, onMount } from 'solid-js';
import { EditorState } from 'prosemirror-state';
import { EditorView } from 'prosemirror-view';
import { keymap } from 'prosemirror-keymap';
import { baseKeymap } from 'prosemirror-commands';
import { schema } from 'prosemirror-schema-basic';
import { redo, undo, yCursorPlugin, ySyncPlugin, yUndoPlugin } from 'y-prosemirror';
import { getNotes } from '../../../shared/doc/schema.ts';
import type { SharedDoc } from '../doc/createSharedDoc.ts';

/**
 * The shared notes: a ProseMirror editor bound to the document's notes fragment, showing everyone's
 * cursor with their name. Undo only undoes one's own typing, never someone else's.
 */
export function NotesEditor(props: { meetingDoc: SharedDoc; labelledBy: string; describedBy: string }) {
  let host: HTMLDivElement | undefined;
  onMount(() => {
    if (!host) return;
    const view = new EditorView(host, {
      state: EditorState.create({
        schema,
        plugins: [
          ySyncPlugin(getNotes(props.meetingDoc.doc)),
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
    onCleanup(() => view.destroy());
  });
  return <div ref={host} class="notes-host" />;
}
