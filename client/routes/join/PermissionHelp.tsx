import { createSignal, For, Show } from 'solid-js';
import type { CaptureProblem } from './createCapture.ts';
import { permissionSteps } from './permissionSteps.ts';

/**
 * What to do when the microphone or camera does not start: for a refusal, where this browser keeps the
 * permission, step by step; for a device that is missing or busy, what to check. Always a "Try again"
 * that asks the browser again, and the reassurance that joining works without it.
 */
export function PermissionHelp(props: { microphone: CaptureProblem | undefined; camera: CaptureProblem | undefined; retrying: boolean; onRetry: () => void }) {
  const [tried, setTried] = createSignal(false);
  const what = () => [props.microphone && 'microphone', props.camera && 'camera'].filter(Boolean).join(' and ');
  const denied = () => props.microphone === 'denied' || props.camera === 'denied';
  const help = permissionSteps(navigator.userAgent);
  return (
    <section class="notice permission-help" aria-labelledby="permission-problem">
      <p id="permission-problem" role="alert">
        <strong>{headline(props.microphone ?? props.camera, what())}</strong>
      </p>
      <Show when={denied()} fallback={<p>{advice(props.microphone ?? props.camera, what())}</p>}>
        <p>{help.browser ? `To allow it in ${help.browser}:` : 'To allow it:'}</p>
        <ol>
          <For each={help.steps}>{(step) => <li>{step}</li>}</For>
        </ol>
      </Show>
      <button
        type="button"
        disabled={props.retrying}
        onClick={() => {
          setTried(true);
          props.onRetry();
        }}
      >
        {props.retrying ? 'Trying…' : 'Try again'}
      </button>
      <p role="status" class="hint">
        {tried() && !props.retrying ? 'Still not working. If you changed a setting, reloading this page can help.' : ''}
      </p>
      <p class="hint">
        {props.microphone
          ? 'You can still join without a microphone: you will hear and see the others, and can write in the notes.'
          : 'You can still join with sound only.'}
      </p>
    </section>
  );
}

function headline(problem: CaptureProblem | undefined, what: string): string {
  switch (problem) {
    case 'missing':
      return `No ${what} was found.`;
    case 'busy':
      return `Your ${what} is being used by another app.`;
    case 'failed':
    case undefined:
      return `Your ${what} could not be started.`;
    case 'denied':
      return `Your browser is not letting this page use your ${what}.`;
  }
}

function advice(problem: CaptureProblem | undefined, what: string): string {
  if (problem === 'missing') return `Plug in a ${what} (a headset works too), then press "Try again".`;
  if (problem === 'busy') return 'Close the other app (for example another video call), then press "Try again".';
  return `Check that your ${what} is connected and switched on, then press "Try again".`;
}
