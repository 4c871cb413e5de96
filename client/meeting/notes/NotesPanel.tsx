import { NotesEditor } from './NotesEditor.tsx';
import type { MeetingDoc, SyncStatus } from './createMeetingDoc.ts';

const STATUS_TEXT: Record<SyncStatus, string> = {
  connecting: 'Connecting…',
  synced: 'Saved. Everyone sees the same notes.',
  offline: 'Connection lost. Reconnecting… What you type is kept and sent when the connection is back.',
  refused: 'You no longer have access to these notes.',
};

/** The shared notes with a plain line saying whether they are in step with everyone else. */
export function NotesPanel(props: { meetingDoc: MeetingDoc }) {
  return (
    <section class="notes-panel card" aria-labelledby="notes-heading">
      <h2 id="notes-heading">Shared notes</h2>
      <p id="notes-hint" class="hint">
        Everyone in the meeting can read and write here, including the person the notes are about.
      </p>
      <p class="sync-status" role="status" data-status={props.meetingDoc.status()}>
        {STATUS_TEXT[props.meetingDoc.status()]}
      </p>
      <NotesEditor meetingDoc={props.meetingDoc} labelledBy="notes-heading" describedBy="notes-hint" />
    </section>
  );
}
