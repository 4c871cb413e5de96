import { For, Show } from 'solid-js';
import type { MediaPreview } from './createMediaPreview.ts';
import { SpeakerTest } from './SpeakerTest.tsx';

/**
 * Which camera, microphone and speakers to use, and the speaker test. Each list appears once the browser
 * lets the page see that kind of device; the camera's only while the camera is on.
 */
export function DevicePicker(props: { preview: MediaPreview }) {
  const choices = () => props.preview.choices();
  return (
    <section class="card stack prejoin-devices" aria-labelledby="devices-heading">
      <h2 id="devices-heading">Camera, microphone and speakers</h2>
      <Show when={props.preview.cameraOn() && props.preview.cameras().length > 0}>
        <label for="camera">Camera</label>
        <select id="camera" value={choices().cameraId ?? ''} onChange={(e) => props.preview.choose('cameraId', e.currentTarget.value)}>
          <For each={props.preview.cameras()}>{(d, i) => <option value={d.deviceId}>{d.label || `Camera ${i() + 1}`}</option>}</For>
        </select>
      </Show>
      <Show when={props.preview.microphones().length > 0}>
        <label for="microphone">Microphone</label>
        <select id="microphone" value={choices().microphoneId ?? ''} onChange={(e) => props.preview.choose('microphoneId', e.currentTarget.value)}>
          <For each={props.preview.microphones()}>{(d, i) => <option value={d.deviceId}>{d.label || `Microphone ${i() + 1}`}</option>}</For>
        </select>
      </Show>
      <SpeakerTest speakers={props.preview.speakers()} speakerId={choices().speakerId} onChoose={(id) => props.preview.choose('speakerId', id)} />
    </section>
  );
}
