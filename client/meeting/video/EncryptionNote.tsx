import { Show } from 'solid-js';
import type { LiveKitSession } from './createLiveKitSession.ts';

/**
 * A calm line in the meeting's header once the video is connected encrypted: "End-to-end encrypted", which
 * opens (a native disclosure: keyboard and screen readers need nothing more) to say in plain words what it
 * means. Nothing shows before then, or in a browser that cannot encrypt (the video's own notice says why).
 */
export function EncryptionNote(props: { session: LiveKitSession }) {
  return (
    <Show when={props.session.canEncrypt && props.session.keyIndex() !== undefined && props.session.roomState() === 'connected'}>
      <details class="encryption-note" data-key-index={props.session.keyIndex()}>
        <summary>
          <svg class="lock" viewBox="0 0 16 16" width="14" height="14" aria-hidden="true">
            <path d="M4.5 7V5a3.5 3.5 0 0 1 7 0v2h.5a1 1 0 0 1 1 1v6a1 1 0 0 1-1 1H4a1 1 0 0 1-1-1V8a1 1 0 0 1 1-1zm1.5 0h4V5a2 2 0 0 0-4 0z" fill="currentColor" />
          </svg>
          End-to-end encrypted
        </summary>
        <p>
          Sound, video and shared screens are locked on each person's device with a key that only the people invited to this meeting
          receive. The video server passes them on but cannot see or hear them. When someone leaves, the key changes.
        </p>
        <p>Nothing of the sound or video is recorded. The shared notes are kept by Polyphony, for the record.</p>
      </details>
    </Show>
  );
}
