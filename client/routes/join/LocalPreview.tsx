import { createEffect, Show } from 'solid-js';

/** The person's own camera, mirrored as in a mirror; with audio only, their name in its place. */
export function LocalPreview(props: { stream: MediaStream | undefined; audioOnly: boolean; name: string }) {
  const hasVideo = () => !props.audioOnly && (props.stream?.getVideoTracks().length ?? 0) > 0;
  return (
    <div class="preview tile">
      <Show when={hasVideo()} fallback={<div class="avatar" aria-hidden="true">{initials(props.name)}</div>}>
        <video
          ref={(el) => createEffect(() => void (el.srcObject = props.stream ?? null))}
          autoplay
          muted
          playsinline
          aria-label="Your camera preview"
          class="mirrored"
        />
      </Show>
      <span class="tile-name">{props.name.trim() || 'You'}</span>
    </div>
  );
}

/** First letters of up to two words, for the picture shown instead of video. */
export function initials(name: string): string {
  const letters = name.trim().split(/\s+/).slice(0, 2).map((word) => word.charAt(0).toUpperCase());
  return letters.join('') || '?';
}
