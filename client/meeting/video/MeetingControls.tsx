import type { JSX } from 'solid-js';
import type { LiveKitSession } from './createLiveKitSession.ts';

/** Microphone, camera, anything the room adds (raise hand), and leave. Real buttons, for keyboard and screen reader. */
export function MeetingControls(props: { session: LiveKitSession | undefined; onLeave: () => void; children?: JSX.Element }) {
  return (
    <div class="controls" role="toolbar" aria-label="Meeting controls">
      {props.session && <DeviceButtons session={props.session} />}
      {props.children}
      <button type="button" class="danger" onClick={() => props.onLeave()}>
        Leave meeting
      </button>
    </div>
  );
}

function DeviceButtons(props: { session: LiveKitSession }) {
  return (
    <>
      <button type="button" aria-pressed={!props.session.micOn()} onClick={() => void props.session.toggleMic()}>
        {props.session.micOn() ? 'Mute microphone' : 'Unmute microphone'}
      </button>
      <button type="button" onClick={() => void props.session.toggleCamera()}>
        {props.session.cameraOn() ? 'Turn camera off' : 'Turn camera on'}
      </button>
    </>
  );
}
