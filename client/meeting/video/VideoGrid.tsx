import { For, Show } from 'solid-js';
import { isTeamRole } from '../../../shared/api/roles.ts';
import type { MeetingPhase } from '../../../shared/doc/reflecting.ts';
import type { ParticipantView } from './createLiveKitSession.ts';
import { ScreenShareStage } from './ScreenShareStage.tsx';
import { VideoTile } from './VideoTile.tsx';

/**
 * Everyone in the meeting, with any shared screen large above them. In dialogue, one grid whose columns follow the number of people; while the team
 * reflects, the team side by side and large, facing each other, and the network small underneath, listening.
 */
export function VideoGrid(props: { participants: ParticipantView[]; phase: MeetingPhase }) {
  const team = () => props.participants.filter((p) => isTeamRole(p.role));
  const network = () => props.participants.filter((p) => !isTeamRole(p.role));
  return (
    <>
      <ScreenShareStage participants={props.participants} />
      <Show
        when={props.phase === 'reflecting'}
        fallback={
          <section class="video-grid" aria-label="People in the meeting" style={columnsFor(props.participants.length)}>
            <For each={props.participants}>{(participant) => <VideoTile participant={participant} />}</For>
          </section>
        }
      >
        <div class="reflecting-layout" data-layout="reflecting">
          <section class="reflecting-team" aria-label="The team, reflecting">
            <For each={team()} fallback={<p class="hint">No team member is on video.</p>}>
              {(participant) => <VideoTile participant={participant} size="large" />}
            </For>
          </section>
          <section class="reflecting-network" aria-label="The network, listening">
            <For each={network()}>{(participant) => <VideoTile participant={participant} size="small" />}</For>
          </section>
        </div>
      </Show>
    </>
  );
}

/**
 * Columns that keep tiles large: a near-square grid on a laptop; on a phone, where the tiles share the
 * screen's height, up to three people one above the other (wide tiles, faces whole), then two columns.
 */
function columnsFor(count: number): Record<string, string> {
  return { '--cols-wide': String(Math.max(1, Math.ceil(Math.sqrt(count)))), '--cols-narrow': String(count <= 3 ? 1 : 2) };
}
