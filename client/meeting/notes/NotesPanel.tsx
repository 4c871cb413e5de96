import { useMeeting } from '../meetingContext.ts';
import { NotesEditor } from './NotesEditor.tsx';

/** The shared notes, written together; the save status is shown for the whole shared space in the header. */
export function NotesPanel() {
  const { meetingDoc } = useMeeting();
  return (
    <>
      <p id="notes-hint" class="hint">
        Everyone in the meeting can read and write here, including the person the notes are about.
      </p>
      <NotesEditor meetingDoc={meetingDoc} labelledBy="panel-notes-heading" describedBy="notes-hint" />
    </>
  );
}
