import { createEffect, Show } from 'solid-js';

/** What the camera is doing, as the preview says it when there is no picture. */
export type CameraStatus = 'off' | 'starting' | 'failed' | 'joining';

const STATUS_TEXT: Record<CameraStatus, string> = {
  off: 'Camera off',
  starting: 'Starting your camera…',
  failed: 'Camera not working',
  // The preview is stopped while the meeting opens (which then starts the camera itself, if it is on).
  joining: 'Opening the meeting…',
};

/** The person's own camera, mirrored as in a mirror; without a picture, their initials and why there is none. */
export function LocalPreview(props: { video: MediaStreamTrack | undefined; status: CameraStatus; name: string }) {
  return (
    <div class="preview tile">
      <Show
        when={props.video}
        fallback={
          <div class="preview-off">
            <div class="avatar" aria-hidden="true">
              {initials(props.name)}
            </div>
            <p>{STATUS_TEXT[props.status]}</p>
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
