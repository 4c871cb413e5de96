import type { LiveKitSession } from './createLiveKitSession.ts';

/** Microphone, camera and leave. Real buttons, so they work with the keyboard and a screen reader. */
export function MeetingControls(props: { session: LiveKitSession | undefined; onLeave: () => void }) {
  return (
    <div class="controls" role="toolbar" aria-label="Meeting controls">
      {props.session && <DeviceButtons session={props.session} />}
      <button type="button" class="danger" onClick={() => props.onLeave()}>
        Leave meeting
      </button>
    </div>
  );
}

function DeviceButtons(props: { session: LiveKitSession }) {
  return (
    <>
      <button type="button" onClick={() => void props.session.toggleMic()}>
        {props.session.micOn() ? 'Mute microphone' : 'Unmute microphone'}
      </button>
      <button type="button" onClick={() => void props.session.toggleCamera()}>
        {props.session.cameraOn() ? 'Turn camera off' : 'Turn camera on'}
      </button>
    </>
  );
}
