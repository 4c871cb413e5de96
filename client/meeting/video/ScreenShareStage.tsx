import { For, Show } from 'solid-js';
import type { ParticipantView } from './participantView.ts';
import { attachTrack } from './VideoTile.tsx';

/**
 * Shared screens (a letter, a plan), shown large above everyone's tiles so that all can read them. The
 * person sharing sees their own share too, so they know what the others see.
 */
export function ScreenShareStage(props: { participants: ParticipantView[] }) {
  const sharing = () => props.participants.filter((p) => p.screenTrack);
  return (
    <Show when={sharing().length > 0}>
      <section class="screen-stage" aria-label="Shared screen">
        <For each={sharing()}>
          {(p) => (
            <figure class="screen-share" data-identity={p.identity}>
              <Show when={p.screenTrack}>
                {(track) => (
                  <video
                    ref={(el) => attachTrack(el, track)}
                    autoplay
                    muted
                    playsinline
                    data-screen={p.isLocal ? 'local' : 'remote'}
                    aria-label={p.isLocal ? 'The screen you are sharing' : `Screen shared by ${p.name}`}
                  />
                )}
              </Show>
              <figcaption class="tile-name">{p.isLocal ? 'You are sharing your screen' : `${p.name} is sharing their screen`}</figcaption>
            </figure>
          )}
        </For>
      </section>
    </Show>
  );
}
