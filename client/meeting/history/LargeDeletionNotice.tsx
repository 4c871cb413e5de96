import { createEffect, createSignal, on, onCleanup, Show } from 'solid-js';
import type { NotesVersionSummary } from '../../../shared/api/notesHistory.ts';
import { countWords, notesText, readNotesContent } from '../../../shared/doc/notesContent.ts';
import { getNotes } from '../../../shared/doc/schema.ts';
import { api, messageOf } from '../../lib/api.ts';
import { createDocSnapshot } from '../doc/createDocSnapshot.ts';
import { whenSaved } from '../doc/whenSaved.ts';
import { useMeeting } from '../meetingContext.ts';
import { createLargeDeletionWatch } from './createLargeDeletionWatch.ts';
import { namesOf } from './versionWords.ts';

/** How long "The removed text is back" stays before it closes by itself. */
const BACK_SHOWN_MS = 20_000;

type NoticeState =
  | { kind: 'hidden' }
  | { kind: 'removed'; byMe: boolean; deletion: NotesVersionSummary | undefined }
  | { kind: 'restoring'; byMe: boolean; deletion: NotesVersionSummary | undefined }
  | { kind: 'back' };

/**
 * Shown on every screen when one edit removed much of the notes: who removed how many words (as the server
 * recorded it, from the person it authenticated), with one button that brings the text back for everyone.
 * The notes as they were just before are kept by the server in any case (see the notes' history).
 */
export function LargeDeletionNotice() {
  const { meetingDoc, api: where } = useMeeting();
  const watch = createLargeDeletionWatch(meetingDoc.doc);
  const [state, setState] = createSignal<NoticeState>({ kind: 'hidden' });
  const [error, setError] = createSignal<string>();
  const words = createDocSnapshot([getNotes(meetingDoc.doc)], () => countWords(notesText(readNotesContent(getNotes(meetingDoc.doc)))));

  // The server keeps the deletion before it passes the edit on, so its record is there when the edit arrives
  // from someone else; one made here is looked up once the server has stored it.
  createEffect(
    on(watch.seen, (seen) => {
      if (!seen) return;
      setError(undefined);
      setState({ kind: 'removed', byMe: seen.byMe, deletion: undefined });
      void (async () => {
        if (seen.byMe) await whenSaved(meetingDoc);
        const page = await api.notesVersions(where.meetingId, undefined, where.credentials);
        const deletion = page.versions.find((v) => v.kind === 'large_deletion');
        setState((now) => (now.kind === 'removed' && watch.seen() === seen ? { ...now, deletion } : now));
      })().catch(() => {});
    }),
  );
  // Once someone brought the words back (here or on another screen), the button is no longer needed.
  createEffect(
    on(words, (count) => {
      const now = state();
      if (now.kind !== 'removed' || !now.deletion) return;
      if (count >= now.deletion.words + (now.deletion.removedWords ?? 0)) setState({ kind: 'back' });
    }),
  );

  const bringBack = async (deletion: NotesVersionSummary | undefined, byMe: boolean) => {
    const beforeId = deletion?.relatedId;
    if (!beforeId) return;
    setState({ kind: 'restoring', byMe, deletion });
    setError(undefined);
    try {
      const [{ notes }, { restoreNotes }] = await Promise.all([api.restoreNotesVersion(where.meetingId, beforeId, where.credentials), import('./restoreNotes.ts')]);
      restoreNotes(meetingDoc.doc, notes);
      setState({ kind: 'back' });
    } catch (failure) {
      setError(messageOf(failure));
      setState({ kind: 'removed', byMe, deletion });
    }
  };
  const close = () => {
    watch.clear();
    setState({ kind: 'hidden' });
  };
  // "It is back" needs no answer: it steps aside by itself after a while, so a phone gets its space back.
  createEffect(
    on(state, (now) => {
      if (now.kind !== 'back') return;
      const timer = setTimeout(close, BACK_SHOWN_MS);
      onCleanup(() => clearTimeout(timer));
    }),
  );

  return (
    <div role="status" aria-live="polite" class="deletion-notice-region">
      <Show when={state().kind !== 'hidden'}>
        <section class="phase-banner deletion-notice" aria-label="Text removed from the notes">
          <div class="phase-text">
            <Show when={state().kind === 'back'} fallback={<RemovedText state={state()} />}>
              <p class="phase-title">The removed text is back in the notes.</p>
              <p>Both the removal and the text stay in the history of the notes.</p>
            </Show>
            <Show when={error()}>{(message) => <p class="error">{message()}</p>}</Show>
          </div>
          <div class="row wrap">
            <Show when={removal(state())}>
              {(r) => (
                <button type="button" class="primary" disabled={r().kind === 'restoring' || !r().deletion} onClick={() => void bringBack(r().deletion, r().byMe)}>
                  {r().kind === 'restoring' ? 'Bringing it back…' : 'Bring it back'}
                </button>
              )}
            </Show>
            <button type="button" class="small" onClick={close}>
              {state().kind === 'back' ? 'Close this message' : 'Leave it removed'}
            </button>
          </div>
        </section>
      </Show>
    </div>
  );
}

function removal(state: NoticeState): Extract<NoticeState, { kind: 'removed' | 'restoring' }> | undefined {
  return state.kind === 'removed' || state.kind === 'restoring' ? state : undefined;
}

function RemovedText(props: { state: NoticeState }) {
  const r = () => removal(props.state);
  const who = () => {
    const found = r();
    if (found?.byMe) return 'You';
    return found?.deletion ? namesOf(found.deletion.authors, 'Someone') : 'Someone';
  };
  const count = () => r()?.deletion?.removedWords;
  return (
    <>
      <p class="phase-title">
        {who()} removed {count() === undefined ? 'a lot of text' : `${count()} ${count() === 1 ? 'word' : 'words'}`} from the notes.
      </p>
      <p>If that was a mistake, one press brings it back for everyone.</p>
    </>
  );
}
