import { createEffect, Show } from 'solid-js';

/** The person's own camera, mirrored as in a mirror; without a camera, their initials and why there is no picture. */
export function LocalPreview(props: { video: MediaStreamTrack | undefined; cameraOn: boolean; name: string }) {
  return (
    <div class="preview tile">
      <Show
        when={props.video}
        fallback={
          <div class="preview-off">
            <div class="avatar" aria-hidden="true">
              {initials(props.name)}
            </div>
            <p>{props.cameraOn ? 'Starting your camera…' : 'Camera off'}</p>
          </div>
        }
      >
        {(track) => (
          <video
            ref={(el) => createEffect(() => void (el.srcObject = new MediaStream([track()])))}
            autoplay
            muted
            playsinline
            aria-label="Your camera preview"
            class="mirrored"
          />
        )}
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
