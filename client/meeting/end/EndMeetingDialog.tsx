import { createSignal, Show, untrack } from 'solid-js';
import type { LastWrittenNotesResponse } from '../../../shared/api/notesHistory.ts';
import { isTeamRole } from '../../../shared/api/roles.ts';
import { countWords, notesText, readNotesContent } from '../../../shared/doc/notesContent.ts';
import { getNotes } from '../../../shared/doc/schema.ts';
import { api, messageOf } from '../../lib/api.ts';
import { whenSaved } from '../doc/whenSaved.ts';
import { namesOf, versionTime } from '../history/versionWords.ts';
import { useMeeting } from '../meetingContext.ts';
import { ModalDialog } from '../ui/ModalDialog.tsx';

/**
 * For team members: end the meeting for everyone, after saying plainly what that does. This is the question
 * itself; what asks it (an item of the controls' "More" menu) gets `ask` through `expose`, since the menu has
 * closed by the time the question shows. The server closes
 * the video room, and every screen then shows that it has ended. When the notes are empty but once held
 * words, it asks first, showing who emptied them, with "Restore the notes and end" as the first choice: an
 * empty record is never sealed by accident.
 */
export function EndMeetingDialog(props: { meetingId: string; onEnded: () => void; expose: (ask: () => void) => void }) {
  const { me, meetingDoc, api: where } = useMeeting();
  const [open, setOpen] = createSignal(false);
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<string>();
  const [emptied, setEmptied] = createSignal<LastWrittenNotesResponse>();

  const ask = async () => {
    setError(undefined);
    setEmptied(undefined);
    const words = countWords(notesText(readNotesContent(getNotes(meetingDoc.doc))));
    if (words === 0) {
      try {
        const last = await api.lastWrittenNotes(where.meetingId, where.credentials);
        if (last.version) setEmptied(last);
      } catch {
        // Without the history the ordinary question is still asked.
      }
    }
    setOpen(true);
  };
  // Given once: the asker holds on to it for the life of the meeting room.
  untrack(() => props.expose(() => void ask()));

  const end = async (restoreFirst: boolean) => {
    setBusy(true);
    setError(undefined);
    try {
      const version = emptied()?.version;
      if (restoreFirst && version) {
        const [{ notes }, { restoreNotes }] = await Promise.all([api.restoreNotesVersion(where.meetingId, version.id, where.credentials), import('../history/restoreNotes.ts')]);
        restoreNotes(meetingDoc.doc, notes);
        // The record is sealed from what the server stored: the restore must be there first.
        await whenSaved(meetingDoc);
      }
      await api.endMeeting(props.meetingId);
      setOpen(false);
      props.onEnded();
    } catch (failure) {
      setError(messageOf(failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Show when={isTeamRole(me.role)}>
      <ModalDialog open={open()} onClose={() => setOpen(false)} title={emptied() ? 'The notes are empty. End anyway?' : 'End the meeting for everyone?'} describedBy="end-meeting-what">
        <Show
          when={emptied()}
          fallback={
            <p id="end-meeting-what">
              Video and sound stop for everyone, and everyone sees that the meeting has ended. The shared notes are kept: everyone can still read
              them, but nobody can change them any more.
            </p>
          }
        >
          {(last) => <EmptiedNotes last={last()} />}
        </Show>
        <Show when={error()}>
          {(message) => (
            <p role="alert" class="error">
              {message()}
            </p>
          )}
        </Show>
        <Show
          when={emptied()}
          fallback={
            <div class="row wrap dialog-actions">
              {/* The safe choice comes first and has focus when the dialog opens. */}
              <button type="button" autofocus onClick={() => setOpen(false)}>
                Keep the meeting going
              </button>
              <button type="button" class="danger" disabled={busy()} onClick={() => void end(false)}>
                {busy() ? 'Ending…' : 'End for everyone'}
              </button>
            </div>
          }
        >
          <div class="row wrap dialog-actions">
            <button type="button" class="primary" autofocus disabled={busy()} onClick={() => void end(true)}>
              {busy() ? 'Ending…' : 'Restore the notes and end'}
            </button>
            <button type="button" class="danger" disabled={busy()} onClick={() => void end(false)}>
              End with empty notes
            </button>
            <button type="button" onClick={() => setOpen(false)}>
              Keep the meeting going
            </button>
          </div>
        </Show>
      </ModalDialog>
    </Show>
  );
}

function EmptiedNotes(props: { last: LastWrittenNotesResponse }) {
  const version = () => props.last.version;
  const who = () => (props.last.emptiedBy ? namesOf(props.last.emptiedBy, 'Someone') : 'Someone');
  return (
    <div id="end-meeting-what">
      <p>
        The shared notes have no words now. {who()} removed them. At {version() ? versionTime(version()?.createdAt ?? '') : ''} they held {version()?.words ?? 0}{' '}
        words.
      </p>
      <p>Ending seals the record as it is, and nobody can change it afterwards. Restore the notes first, unless they were emptied on purpose.</p>
    </div>
  );
}
