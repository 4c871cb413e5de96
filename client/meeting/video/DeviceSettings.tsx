import { For, onMount, Show, untrack } from 'solid-js';
import type { Room } from 'livekit-client';
import { createDeviceChoice, type DeviceKind } from './createDeviceChoice.ts';
import { ModalDialog } from '../ui/ModalDialog.tsx';

const FIELDS: { kind: DeviceKind; label: string }[] = [
  { kind: 'videoinput', label: 'Camera' },
  { kind: 'audioinput', label: 'Microphone' },
  { kind: 'audiooutput', label: 'Speaker' },
];

/** Switch camera, microphone or speaker mid-meeting; the change applies at once, nobody has to rejoin. */
export function DeviceSettings(props: { room: Room; onClose: () => void }) {
  // The dialog lives inside one meeting, whose room never changes.
  const choice = createDeviceChoice(untrack(() => props.room));
  onMount(() => void choice.refresh());
  return (
    <ModalDialog open onClose={props.onClose} title="Camera, microphone and speaker" describedBy="device-settings-hint">
      <form method="dialog" class="stack">
        <p id="device-settings-hint" class="hint">
          A change applies at once.
        </p>
        <For each={FIELDS}>
          {(field) => (
            <Show when={choice.devices()[field.kind].length > 0}>
              <label for={`device-${field.kind}`}>{field.label}</label>
              <select
                id={`device-${field.kind}`}
                value={choice.active()[field.kind] ?? ''}
                onChange={(e) => void choice.choose(field.kind, e.currentTarget.value)}
              >
                <For each={choice.devices()[field.kind]}>{(device) => <option value={device.id}>{device.label}</option>}</For>
              </select>
            </Show>
          )}
        </For>
        <Show when={choice.problem()}>{(message) => <p role="alert" class="notice">{message()}</p>}</Show>
        <div class="row dialog-actions">
          <button type="submit" class="primary">
            Done
          </button>
        </div>
      </form>
    </ModalDialog>
  );
}
