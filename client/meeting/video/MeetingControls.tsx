import { createSignal, type JSX, Show } from 'solid-js';
import type { LiveKitSession } from './createLiveKitSession.ts';
import { DeviceSettings } from './DeviceSettings.tsx';

/**
 * Microphone, camera, screen share, device settings, anything the room adds (raise hand, end for everyone),
 * and leave. Real buttons, for keyboard and screen reader.
 */
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

// Phones' browsers have no screen capture: offer the button only where it can work.
const canShareScreen = typeof navigator !== 'undefined' && typeof navigator.mediaDevices?.getDisplayMedia === 'function';

function DeviceButtons(props: { session: LiveKitSession }) {
  const [settingsOpen, setSettingsOpen] = createSignal(false);
  return (
    <>
      <button type="button" aria-pressed={!props.session.micOn()} onClick={() => void props.session.toggleMic()}>
        {props.session.micOn() ? 'Mute microphone' : 'Unmute microphone'}
      </button>
      <button type="button" onClick={() => void props.session.toggleCamera()}>
        {props.session.cameraOn() ? 'Turn camera off' : 'Turn camera on'}
      </button>
      <Show when={canShareScreen}>
        <button type="button" aria-pressed={props.session.sharingScreen()} onClick={() => void props.session.toggleScreenShare()}>
          {props.session.sharingScreen() ? 'Stop sharing screen' : 'Share screen'}
        </button>
      </Show>
      <button type="button" aria-haspopup="dialog" onClick={() => setSettingsOpen(true)}>
        Settings
      </button>
      <Show when={settingsOpen()}>
        <DeviceSettings room={props.session.room} onClose={() => setSettingsOpen(false)} />
      </Show>
    </>
  );
}
