import { createSignal, For, Show } from 'solid-js';
import { colorFor } from '../../../shared/doc/awareness.ts';
import { notesByAuthor } from '../../../shared/doc/noteAuthorship.ts';
import { readParticipants } from '../../../shared/doc/participants.ts';
import { getNoteAuthorship, getNotes, getParticipants } from '../../../shared/doc/schema.ts';
import { createDocSnapshot } from '../doc/createDocSnapshot.ts';
import { useMeeting } from '../meetingContext.ts';
import { NotesHistoryDialog } from '../history/NotesHistoryDialog.tsx';
import { NotesEditor } from './NotesEditor.tsx';

/**
 * The shared notes, written together; the save status is shown for the whole shared space in the header.
 * "Show who wrote what" marks each passage with its author, with a legend of names and colours.
 */
export function NotesPanel() {
  const { meetingDoc, authorship } = useMeeting();
  const [showAuthors, setShowAuthors] = createSignal(false);
  const [historyOpen, setHistoryOpen] = createSignal(false);
  return (
    <>
      <div class="row wrap notes-toolbar">
        <p id="notes-hint" class="hint">
          Everyone in the meeting can read and write here, including the person the notes are about.
        </p>
        <button type="button" class="small" aria-pressed={showAuthors()} onClick={() => setShowAuthors(!showAuthors())}>
          Show who wrote what
        </button>
      </div>
      <NotesHistoryDialog open={historyOpen()} onClose={() => setHistoryOpen(false)} />
      <Show when={showAuthors()}>
        <AuthorLegend />
      </Show>
      <NotesEditor
        meetingDoc={meetingDoc}
        authorship={authorship}
        showAuthors={showAuthors()}
        labelledBy="panel-notes-heading"
        describedBy="notes-hint"
        toolbar={
          <button type="button" class="small" aria-haspopup="dialog" aria-label="History of the notes" onClick={() => setHistoryOpen(true)}>
            History
          </button>
        }
      />
    </>
  );
}

/** Everyone who wrote part of the notes, with the colour their passages are marked in. */
function AuthorLegend() {
  const { meetingDoc, authorship } = useMeeting();
  const doc = meetingDoc.doc;
  const authors = createDocSnapshot([getNotes(doc), getParticipants(doc), getNoteAuthorship(doc)], () => {
    const ids = new Set(notesByAuthor(doc, authorship).flatMap((runs) => runs.map((run) => run.authorId)));
    const names = readParticipants(doc);
    return [...ids]
      .map((id) => ({ id: id ?? 'unknown', name: (id && names.get(id)?.name) || 'someone not known', color: id ? colorFor(id) : '#5e5c64' }))
      .sort((a, b) => a.name.localeCompare(b.name));
  });
  return (
    <div class="author-legend">
      <p class="hint">While passages are marked, the notes cannot be changed. Press the button again to write.</p>
      <Show when={authors().length > 0} fallback={<p class="hint">Nothing has been written yet.</p>}>
        <ul aria-label="Who wrote the notes">
          <For each={authors()}>
            {(author) => (
              <li>
                <span class="author-swatch" style={{ '--author-color': author.color }} aria-hidden="true" />
                {author.name}
              </li>
            )}
          </For>
        </ul>
      </Show>
    </div>
  );
}
