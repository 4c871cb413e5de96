import { For, Show } from 'solid-js';
import { isTeamRole } from '../../../shared/api/roles.ts';
import { getNotes, notesPlainText } from '../../../shared/doc/schema.ts';
import { createDocSnapshot } from '../doc/createDocSnapshot.ts';
import { useMeeting } from '../meetingContext.ts';
import { NextAfterMeeting } from './NextAfterMeeting.tsx';

/**
 * What everyone sees once a team member has ended the meeting: a calm statement that it is over, that sound
 * and video have stopped, and the shared notes as they were, to read (the record is sealed on the server).
 * A network member is shown the way on: the record of this meeting and the next meeting.
 */
export function MeetingEnded(props: { title: string }) {
  const { meetingDoc, me, api } = useMeeting();
  const paragraphs = createDocSnapshot([getNotes(meetingDoc.doc)], () => notesPlainText(meetingDoc.doc).split('\n').filter((line) => line.trim() !== ''));
  return (
    <main class="page narrow meeting-ended">
      <h1>The meeting has ended</h1>
      <p class="lead" role="status">
        {props.title} has ended for everyone. Sound and video have stopped.
      </p>
      <p>Thank you for taking part. The shared notes are kept and everyone in the network can read them. They can no longer be changed.</p>
      <Show when={api.credentials.inviteToken}>{(token) => <NextAfterMeeting meetingId={api.meetingId} inviteToken={token()} />}</Show>
      <section class="card" aria-labelledby="ended-notes-heading">
        <h2 id="ended-notes-heading">Shared notes</h2>
        <Show when={paragraphs().length > 0} fallback={<p class="hint">Nothing was written in the notes.</p>}>
          <div class="ended-notes">
            <For each={paragraphs()}>{(text) => <p>{text}</p>}</For>
          </div>
        </Show>
      </section>
      <Show when={isTeamRole(me.role)} fallback={<p class="hint">You can close this page.</p>}>
        <p>
          <a href="/">Back to your networks</a>
        </p>
      </Show>
    </main>
  );
}
