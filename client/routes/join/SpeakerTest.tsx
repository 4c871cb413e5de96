import { For, Show } from 'solid-js';
import { createSpeakerTest, speakerTestMessage } from './createSpeakerTest.ts';

/**
 * The speakers list (only where the browser can route sound to one) and a "Test speakers" button that plays
 * a short chime through the chosen one. The status line is always in the page, so screen readers announce it.
 */
export function SpeakerTest(props: { speakers: MediaDeviceInfo[]; speakerId: string | undefined; onChoose: (speakerId: string) => void }) {
  const test = createSpeakerTest();
  // Until the person chooses, the list shows its first entry: test that same one.
  const chosen = () => props.speakerId ?? props.speakers[0]?.deviceId;
  return (
    <>
      <Show when={props.speakers.length > 0}>
        <label for="speaker">Speakers</label>
        <select id="speaker" value={chosen() ?? ''} onChange={(e) => props.onChoose(e.currentTarget.value)}>
          <For each={props.speakers}>{(d, i) => <option value={d.deviceId}>{d.label || `Speakers ${i() + 1}`}</option>}</For>
        </select>
      </Show>
      <div class="speaker-test">
        <button type="button" onClick={() => void test.play(chosen())} aria-describedby="speaker-test-status">
          Test speakers
        </button>
        <p id="speaker-test-status" role="status" class="hint">
          {speakerTestMessage(test.state())}
        </p>
      </div>
    </>
  );
}
