import { createSignal, onMount, Show, untrack } from 'solid-js';
import './prejoin.css';
import { DisplayName } from '../../../shared/api/displayName.ts';
import { DISPLAY_NAME_MAX } from '../../../shared/api/limits.ts';
import { createMediaPreview, type DeviceChoices } from './createMediaPreview.ts';
import { DevicePicker } from './DevicePicker.tsx';
import { FocusedHeading } from './FocusedHeading.tsx';
import { LocalPreview, type CameraStatus } from './LocalPreview.tsx';
import { MicrophoneLevel } from './MicrophoneLevel.tsx';
import { PermissionHelp } from './PermissionHelp.tsx';
import { readRememberedChoices, rememberChoices } from './rememberedChoices.ts';

export interface JoinChoices extends DeviceChoices {
  displayName: string;
}

/**
 * Pre-join: the camera (off until the person turns it on, now or on an earlier visit), the microphone with
 * a live level, the name others will see, Join, what is kept and what is never recorded, and the device
 * lists with a speaker test. On a phone, everything down to Join fits on the first screen.
 */
export function PreJoin(props: {
  meetingTitle: string;
  suggestedName?: string | undefined;
  busy: boolean;
  error: string | undefined;
  onJoin: (choices: JoinChoices) => void;
}) {
  const remembered = readRememberedChoices();
  const preview = createMediaPreview(remembered);
  // The suggestion only fills the field at first: it must not overwrite what the person has typed since.
  const [name, setName] = createSignal(remembered.displayName ?? untrack(() => props.suggestedName) ?? '');
  // The server checks the name too; checking here first tells the person at once, beside the field.
  const [nameError, setNameError] = createSignal<string>();
  onMount(preview.start);

  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    const checked = DisplayName.safeParse(name());
    setNameError(checked.success ? undefined : (checked.error.issues[0]?.message ?? 'Please check your name.'));
    if (!checked.success) {
      document.getElementById('display-name')?.focus();
      return;
    }
    const displayName = checked.data;
    rememberChoices({ displayName });
    const choices = preview.choices();
    // Stopped at once: a live preview and level meter would hold a slow phone's thread while it joins.
    preview.stop();
    props.onJoin({ displayName, ...choices });
  };

  const micProblem = () => preview.microphone.problem();
  // A camera the person turned off has no problem to report.
  const cameraProblem = () => (preview.cameraOn() ? preview.camera.problem() : undefined);
  const cameraStatus = (): CameraStatus => (props.busy ? 'joining' : !preview.cameraOn() ? 'off' : cameraProblem() ? 'failed' : 'starting');

  return (
    <main class="page prejoin">
      <FocusedHeading>{props.meetingTitle}</FocusedHeading>
      <div class="prejoin-layout">
        <section class="prejoin-check" aria-label="Your camera and microphone">
          <LocalPreview video={preview.camera.track()} status={cameraStatus()} name={name()} />
          <div class="camera-switch">
            <button type="button" aria-describedby="camera-state" onClick={() => preview.turnCamera(!preview.cameraOn())}>
              {preview.cameraOn() ? 'Turn camera off' : 'Turn camera on'}
            </button>
            <p id="camera-state" class="hint">
              {preview.cameraOn() && !cameraProblem() ? 'Others will see you.' : 'Others will see your name, not you.'}
            </p>
          </div>
          <Show when={preview.microphone.track()}>{(track) => <MicrophoneLevel track={track()} />}</Show>
          <Show when={micProblem() ?? cameraProblem()}>
            <PermissionHelp
              microphone={micProblem()}
              camera={cameraProblem()}
              retrying={preview.microphone.starting() || preview.camera.starting()}
              onRetry={preview.retry}
            />
          </Show>
        </section>

        <form class="card stack prejoin-form" onSubmit={submit}>
          <label for="display-name">Your name, as others will see it</label>
          <input
            id="display-name"
            type="text"
            required
            maxLength={DISPLAY_NAME_MAX}
            autocomplete="name"
            value={name()}
            onInput={(e) => setName(e.currentTarget.value)}
            aria-describedby={nameError() ? 'name-error name-hint' : 'name-hint'}
            aria-invalid={nameError() ? 'true' : undefined}
          />
          <Show when={nameError()}>
            {(message) => (
              <p id="name-error" role="alert" class="error">
                {message()}
              </p>
            )}
          </Show>
          <p id="name-hint" class="hint">
            Sharing this device? Write both names, for example "Mum and Dad".
          </p>
          <button type="submit" class="primary" disabled={props.busy || !name().trim()}>
            {props.busy ? 'Joining…' : 'Join meeting'}
          </button>
          <Show when={props.error}>
            {(message) => (
              <p role="alert" class="error">
                {message()}
              </p>
            )}
          </Show>
          <section class="privacy" aria-labelledby="privacy-heading">
            <h2 id="privacy-heading">What is kept</h2>
            <p>The shared notes are kept, and everyone in the network can read them, including you.</p>
            <p>Sound and video are never recorded.</p>
          </section>
        </form>

        <DevicePicker preview={preview} />
      </div>
    </main>
  );
}
