import { createEffect, onCleanup, Show } from 'solid-js';
import type { Track } from 'livekit-client';
import { initials } from '../../routes/join/LocalPreview.tsx';
import { QUALITY_LABELS, type ParticipantView } from './participantView.ts';
import { RoleBadge } from './RoleBadge.tsx';

/**
 * One person: their video (or their initials when they are on audio only), name and role (an interpreter
 * is labelled as one), mic state, speaking ring, and how well their connection is doing, in words.
 * A long name wraps onto more lines rather than being cut short, and the role badge goes on a line of its own
 * when it does not fit beside it: names and roles are read in full.
 */
export function VideoTile(props: { participant: ParticipantView; size?: 'large' | 'small' }) {
  const p = () => props.participant;
  return (
    <figure class="tile" classList={{ speaking: p().isSpeaking, small: props.size === 'small' }} data-identity={p().identity} data-role={p().role}>
      <Show when={p().videoTrack} fallback={<div class="avatar" aria-hidden="true">{initials(p().name)}</div>}>
        {(track) => (
          <video
            ref={(el) => attachTrack(el, track)}
            autoplay
            muted
            playsinline
            class={p().isLocal ? 'mirrored' : undefined}
            data-remote={p().isLocal ? undefined : 'true'}
            aria-label={p().isLocal ? 'Your video' : `Video of ${p().name}`}
          />
        )}
      </Show>
      <Show when={p().audioTrack}>{(track) => <audio ref={(el) => attachTrack(el, track)} autoplay />}</Show>
      <Show when={p().screenAudioTrack}>{(track) => <audio ref={(el) => attachTrack(el, track)} autoplay />}</Show>
      <ConnectionQualityBadge participant={p()} />
      <figcaption class="tile-name">
        <span class="tile-name-text" title={p().name}>
          {p().name}
        </span>
        <Show when={p().isLocal}>
          <span class="tile-you"> (you)</span>
        </Show>
        <Show when={p().role !== 'network_member'}>
          <RoleBadge role={p().role} />
        </Show>
        <Show when={!p().videoTrack}>
          <span class="visually-hidden"> · on audio only</span>
        </Show>
        <Show when={p().micMuted}>
          <span class="muted-badge">
            <MicrophoneOffIcon />
            <span class="visually-hidden"> · microphone off</span>
          </span>
        </Show>
        <Show when={p().isSpeaking}>
          <span class="visually-hidden"> · speaking</span>
        </Show>
      </figcaption>
    </figure>
  );
}

/** A microphone struck through: small enough to stay beside the name on a phone's tile. */
function MicrophoneOffIcon() {
  return (
    <svg class="muted-icon" viewBox="0 0 16 16" width="14" height="14" aria-hidden="true">
      <rect x="5.5" y="1.5" width="5" height="8" rx="2.5" fill="none" stroke="currentColor" stroke-width="1.5" />
      <path d="M3 7.5a5 5 0 0 0 10 0M8 12.5v2.5" fill="none" stroke="currentColor" stroke-width="1.5" />
      <path d="M2 2l12 12" stroke="currentColor" stroke-width="1.8" />
    </svg>
  );
}

/**
 * Signal bars with the quality in words: read by screen readers always, shown as text too when the
 * connection is weak or lost (the bars' colour is never the only sign).
 */
function ConnectionQualityBadge(props: { participant: ParticipantView }) {
  const level = () => props.participant.quality;
  const bars = () => ({ good: 3, poor: 1, lost: 0, unknown: 0 })[level()];
  return (
    <span class="quality" data-quality={level()}>
      <svg class="quality-bars" viewBox="0 0 12 10" width="14" height="12" aria-hidden="true">
        <rect x="0" y="6" width="3" height="4" class={bars() >= 1 ? 'on' : 'off'} />
        <rect x="4.5" y="3" width="3" height="7" class={bars() >= 2 ? 'on' : 'off'} />
        <rect x="9" y="0" width="3" height="10" class={bars() >= 3 ? 'on' : 'off'} />
      </svg>
      <span class={level() === 'poor' || level() === 'lost' ? 'quality-text' : 'visually-hidden'}>{QUALITY_LABELS[level()]}</span>
    </span>
  );
}

/** Attaches a LiveKit track to a media element for as long as both exist. */
export function attachTrack(el: HTMLMediaElement, track: () => Track) {
  createEffect(() => {
    const current = track();
    current.attach(el);
    onCleanup(() => void current.detach(el));
  });
}
