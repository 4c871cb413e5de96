import { createSignal, For, onMount, Show, untrack } from 'solid-js';
import { DisplayName } from '../../../shared/api/displayName.ts';
import { DISPLAY_NAME_MAX } from '../../../shared/api/limits.ts';
import { createMediaPreview, type DeviceChoices } from './createMediaPreview.ts';
import { FocusedHeading } from './FocusedHeading.tsx';
import { LocalPreview } from './LocalPreview.tsx';
import { SpeakerTest } from './SpeakerTest.tsx';

const NAME_KEY = 'polyphony.displayName';

export interface JoinChoices extends DeviceChoices {
  displayName: string;
}

/**
 * Pre-join: the name others will see, a camera/microphone check with device choice, a speaker test,
 * audio-only, and a plain statement of what is kept and what is never recorded.
 */
export function PreJoin(props: {
  meetingTitle: string;
  suggestedName?: string | undefined;
  busy: boolean;
  error: string | undefined;
  onJoin: (choices: JoinChoices) => void;
}) {
  const preview = createMediaPreview();
  // The suggestion only fills the field at first: it must not overwrite what the person has typed since.
  const [name, setName] = createSignal(localStorage.getItem(NAME_KEY) ?? untrack(() => props.suggestedName) ?? '');
  // The server checks the name too; checking here first tells the person at once, beside the field.
  const [nameError, setNameError] = createSignal<string>();
  onMount(() => void preview.start(preview.choices()));

  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    const checked = DisplayName.safeParse(name());
    setNameError(checked.success ? undefined : (checked.error.issues[0]?.message ?? 'Please check your name.'));
    if (!checked.success) {
      document.getElementById('display-name')?.focus();
      return;
    }
    const displayName = checked.data;
    localStorage.setItem(NAME_KEY, displayName);
    preview.stop();
    props.onJoin({ displayName, ...preview.choices() });
  };
  const choose = (change: Partial<DeviceChoices>) => void preview.start({ ...preview.choices(), ...change });

  return (
    <main class="page prejoin">
      <FocusedHeading>{props.meetingTitle}</FocusedHeading>
      <p class="lead">Check your camera and microphone, then join.</p>
      <div class="prejoin-grid">
        <LocalPreview stream={preview.stream()} audioOnly={preview.choices().audioOnly} name={name()} />
        <form class="card stack" onSubmit={submit}>
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
          <p id="name-hint" class="hint">If you share this device with someone, you can write both names, for example "Mum and Dad".</p>

          <label class="check">
            <input type="checkbox" checked={preview.choices().audioOnly} onChange={(e) => choose({ audioOnly: e.currentTarget.checked })} />
            Join with audio only (no camera)
          </label>

          <Show when={!preview.choices().audioOnly && preview.cameras().length > 0}>
            <label for="camera">Camera</label>
            <select id="camera" value={preview.choices().cameraId ?? ''} onChange={(e) => choose({ cameraId: e.currentTarget.value })}>
              <For each={preview.cameras()}>{(d, i) => <option value={d.deviceId}>{d.label || `Camera ${i() + 1}`}</option>}</For>
            </select>
          </Show>
          <Show when={preview.microphones().length > 0}>
            <label for="microphone">Microphone</label>
            <select id="microphone" value={preview.choices().microphoneId ?? ''} onChange={(e) => choose({ microphoneId: e.currentTarget.value })}>
              <For each={preview.microphones()}>{(d, i) => <option value={d.deviceId}>{d.label || `Microphone ${i() + 1}`}</option>}</For>
            </select>
          </Show>
          <SpeakerTest speakers={preview.speakers()} speakerId={preview.choices().speakerId} onChoose={preview.chooseSpeaker} />
          <Show when={preview.problem()}>{(message) => <p class="notice">{message()}</p>}</Show>

          <section class="privacy" aria-labelledby="privacy-heading">
            <h2 id="privacy-heading">What is kept</h2>
            <p>The shared notes are kept, and everyone in the network can read them, including you.</p>
            <p>Sound and video are never recorded.</p>
          </section>

          <button type="submit" class="primary" disabled={props.busy || !name().trim()}>
            {props.busy ? 'Joining…' : 'Join meeting'}
          </button>
          <Show when={props.error}>{(message) => <p role="alert" class="error">{message()}</p>}</Show>
        </form>
      </div>
    </main>
  );
}
