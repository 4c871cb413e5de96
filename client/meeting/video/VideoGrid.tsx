import { For } from 'solid-js';
import type { ParticipantView } from './createLiveKitSession.ts';
import { VideoTile } from './VideoTile.tsx';

/** Everyone in the meeting, in a grid whose columns follow the number of people. */
export function VideoGrid(props: { participants: ParticipantView[] }) {
  return (
    <section class="video-grid" aria-label="People in the meeting" style={{ '--count': String(props.participants.length) }}>
      <For each={props.participants}>{(participant) => <VideoTile participant={participant} />}</For>
    </section>
  );
}
