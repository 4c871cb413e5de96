import { createEffect, onCleanup, Show } from 'solid-js';
import type { Track } from 'livekit-client';
import { ROLE_LABELS } from '../../../shared/api/roles.ts';
import { initials } from '../../routes/join/LocalPreview.tsx';
import type { ParticipantView } from './createLiveKitSession.ts';

/** One person: their video (or their initials when they are on audio only), name, mic state, speaking ring. */
export function VideoTile(props: { participant: ParticipantView; size?: 'large' | 'small' }) {
  const p = () => props.participant;
  return (
    <figure class="tile" classList={{ speaking: p().isSpeaking, small: props.size === 'small' }} data-identity={p().identity} data-role={p().role}>
      <Show when={p().videoTrack} fallback={<div class="avatar" aria-hidden="true">{initials(p().name)}</div>}>
        {(track) => (
          <video
            ref={(el) => attach(el, track)}
            autoplay
            muted
            playsinline
            class={p().isLocal ? 'mirrored' : undefined}
            data-remote={p().isLocal ? undefined : 'true'}
            aria-label={p().isLocal ? 'Your video' : `Video of ${p().name}`}
          />
        )}
      </Show>
      <Show when={p().audioTrack}>{(track) => <audio ref={(el) => attach(el, track)} autoplay />}</Show>
      <figcaption class="tile-name">
        {p().isLocal ? `${p().name} (you)` : p().name}
        <Show when={p().role !== 'network_member'}>
          <span class="role-badge"> · {ROLE_LABELS[p().role]}</span>
        </Show>
        <Show when={p().micMuted}>
          <span class="muted-badge"> · microphone off</span>
        </Show>
        <Show when={p().isSpeaking}>
          <span class="visually-hidden"> · speaking</span>
        </Show>
      </figcaption>
    </figure>
  );
}

function attach(el: HTMLMediaElement, track: () => Track) {
  createEffect(() => {
    const current = track();
    current.attach(el);
    onCleanup(() => void current.detach(el));
  });
}
