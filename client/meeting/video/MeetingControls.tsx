import { createSignal, type JSX, Show } from 'solid-js';
import { CameraIcon, LeaveIcon, MicIcon } from './controlIcons.tsx';
import type { LiveKitSession } from './createLiveKitSession.ts';
import { DeviceSettings } from './DeviceSettings.tsx';
import { type MenuAction, MoreMenu } from './MoreMenu.tsx';

/**
 * One row of controls, which a 360 px phone has room for: microphone, camera, what the room adds to the row
 * (raise hand), "More" (screen share, device settings, anything the room adds there, such as ending the
 * meeting for everyone), and leave. Real buttons, for keyboard and screen reader; each has an icon and a
 * short word, and its full name (the short word is part of it) for screen readers and voice control.
 */
export function MeetingControls(props: { session: LiveKitSession | undefined; onLeave: () => void; children?: JSX.Element; more: MenuAction[] }) {
  const [settingsOpen, setSettingsOpen] = createSignal(false);
  const deviceActions = (): MenuAction[] => {
    const session = props.session;
    // A browser that cannot encrypt never joins the video: its devices have nothing to do (see mediaEncryption.ts).
    if (!session?.canEncrypt) return [];
    return [
      { label: 'Settings', opensDialog: true, onSelect: () => setSettingsOpen(true) },
      ...(canShareScreen
        ? [{ label: session.sharingScreen() ? 'Stop sharing screen' : 'Share screen', onSelect: () => void session.toggleScreenShare() }]
        : []),
    ];
  };
  const actions = () => [...deviceActions(), ...props.more];
  return (
    <div class="controls" role="toolbar" aria-label="Meeting controls">
      <Show when={props.session?.canEncrypt && props.session}>{(session) => <DeviceButtons session={session()} />}</Show>
      {props.children}
      <Show when={actions().length > 0}>
        <MoreMenu actions={actions()} />
      </Show>
      <ControlButton label="Leave meeting" short="Leave" class="danger" onClick={() => props.onLeave()}>
        <LeaveIcon />
      </ControlButton>
      {/* Outside the menu, which has closed by the time the dialog shows. */}
      <Show when={settingsOpen() && props.session}>{(session) => <DeviceSettings room={session().room} onClose={() => setSettingsOpen(false)} />}</Show>
    </div>
  );
}

// Phones' browsers have no screen capture: offer it only where it can work.
const canShareScreen = typeof navigator !== 'undefined' && typeof navigator.mediaDevices?.getDisplayMedia === 'function';

function DeviceButtons(props: { session: LiveKitSession }) {
  return (
    <>
      <ControlButton
        label={props.session.micOn() ? 'Mute microphone' : 'Unmute microphone'}
        short={props.session.micOn() ? 'Mute' : 'Unmute'}
        pressed={!props.session.micOn()}
        onClick={() => void props.session.toggleMic()}
      >
        <MicIcon off={!props.session.micOn()} />
      </ControlButton>
      <ControlButton
        label={props.session.cameraOn() ? 'Turn camera off' : 'Turn camera on'}
        short={props.session.cameraOn() ? 'Camera off' : 'Camera on'}
        onClick={() => void props.session.toggleCamera()}
      >
        <CameraIcon off={!props.session.cameraOn()} />
      </ControlButton>
    </>
  );
}

/**
 * A control in the row: an icon over a short word on a phone, beside the full words on a laptop. The
 * accessible name is the full words, which contain the short word (WCAG 2.5.3, label in name).
 */
export function ControlButton(props: { label: string; short: string; pressed?: boolean; class?: string; onClick: () => void; children: JSX.Element }) {
  return (
    <button type="button" class={`control ${props.class ?? ''}`} aria-label={props.label} aria-pressed={props.pressed} onClick={() => props.onClick()}>
      {props.children}
      <span class="control-label control-short" aria-hidden="true">
        {props.short}
      </span>
      <span class="control-label control-long" aria-hidden="true">
        {props.label}
      </span>
    </button>
  );
}
