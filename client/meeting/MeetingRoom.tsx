import { Show } from 'solid-js';
import type { JoinMeetingResponse } from '../../shared/api/meetings.ts';
import { colorFor } from '../../shared/doc/awareness.ts';
import type { JoinChoices } from '../routes/join/PreJoin.tsx';
import { createMeetingDoc } from './notes/createMeetingDoc.ts';
import { NotesPanel } from './notes/NotesPanel.tsx';
import { createLiveKitSession } from './video/createLiveKitSession.ts';
import { MeetingControls } from './video/MeetingControls.tsx';
import { VideoGrid } from './video/VideoGrid.tsx';
import { ConnectionBanner } from './video/ConnectionBanner.tsx';

/** The meeting: everyone's video beside the shared notes, with the controls underneath. */
export default function MeetingRoom(props: { title: string; access: JoinMeetingResponse; choices: JoinChoices; onLeave: () => void }) {
  const meetingDoc = createMeetingDoc(props.access.sync, {
    name: props.access.displayName,
    color: colorFor(props.access.participantId),
  });
  const media = props.access.media;
  const session = media.status === 'available' ? createLiveKitSession(media, props.choices) : undefined;
  const leave = async () => {
    await session?.leave();
    props.onLeave();
  };

  return (
    <main class="meeting">
      <header class="meeting-header">
        <h1>{props.title}</h1>
      </header>
      <div class="meeting-body">
        <section class="video-area" aria-labelledby="video-heading">
          <h2 id="video-heading" class="visually-hidden">
            Video
          </h2>
          <Show when={media.status === 'unavailable' ? media.reason : undefined}>
            {(reason) => (
              <p class="notice" role="status">
                {reason()}
              </p>
            )}
          </Show>
          <Show when={session}>
            {(s) => (
              <>
                <ConnectionBanner session={s()} />
                <VideoGrid participants={s().participants} />
              </>
            )}
          </Show>
          <MeetingControls session={session} onLeave={() => void leave()} />
        </section>
        <NotesPanel meetingDoc={meetingDoc} />
      </div>
    </main>
  );
}
