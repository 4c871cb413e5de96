import { createEffect, on, onCleanup, onMount, type JSX } from 'solid-js';
import { EditorState } from 'prosemirror-state';
import { EditorView } from 'prosemirror-view';
import { keymap } from 'prosemirror-keymap';
import { baseKeymap } from 'prosemirror-commands';
import * as Y from 'yjs';
import { ProsemirrorBinding, redo, undo, yCursorPlugin, ySyncPlugin, ySyncPluginKey, yUndoPlugin } from 'y-prosemirror';
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
  /** More buttons for the row above the notes (after Undo and Redo). */
  toolbar?: JSX.Element;
}) {
  let host: HTMLDivElement | undefined;
  let editor: EditorView | undefined;
  // Buttons for phones (no Ctrl+Z there): like the keys, they undo and redo this person's own edits only.
  const run = (command: typeof undo) => {
    if (!editor) return;
    command(editor.state);
  };
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
    editor = view;
    const binding = () => syncBinding(view.state);
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
  return (
    <>
      <div class="row wrap notes-undo">
        {/* Short words so the row fits a phone; the names say whose changes (WCAG 2.5.3: they start alike). */}
        <button type="button" class="small" aria-label="Undo my last change" disabled={props.showAuthors} onClick={() => run(undo)}>
          Undo
        </button>
        <button type="button" class="small" aria-label="Redo my last undone change" disabled={props.showAuthors} onClick={() => run(redo)}>
          Redo
        </button>
        {props.toolbar}
      </div>
      <div ref={host} class="notes-host" />
    </>
  );
}

/** The editor's binding to the notes; y-prosemirror types its plugin state as `any`, so it is checked here. */
function syncBinding(state: EditorState): ProsemirrorBinding | undefined {
  const pluginState: unknown = ySyncPluginKey.getState(state);
  if (typeof pluginState !== 'object' || pluginState === null || !('binding' in pluginState)) return undefined;
  return pluginState.binding instanceof ProsemirrorBinding ? pluginState.binding : undefined;
}
