import { createSignal, Show } from 'solid-js';
import { api, messageOf } from '../../lib/api.ts';
import { formatShort } from '../record/formatWhen.ts';

/** Marks the work with a network as ended; an administrator's retention setting counts from then. */
export function ClosingSection(props: { networkId: string; closedAt: string | undefined; refresh: () => void }) {
  const [confirming, setConfirming] = createSignal(false);
  const [error, setError] = createSignal<string>();
  const close = async () => {
    try {
      await api.closeNetwork(props.networkId);
      setError(undefined);
      props.refresh();
    } catch (e) {
      setError(messageOf(e));
    }
  };
  return (
    <section class="card stack" aria-labelledby="closing-heading">
      <h2 id="closing-heading">Ending the work</h2>
      <Show
        when={props.closedAt}
        fallback={
          <>
            <p class="hint">When the network no longer needs meetings, mark the work as ended. The records are then kept only as long as your service's retention setting says.</p>
            <Show
              when={confirming()}
              fallback={
                <button type="button" onClick={() => setConfirming(true)}>
                  The work with this network has ended
                </button>
              }
            >
              <p>Are you sure? This cannot be undone from here.</p>
              <div class="row wrap">
                <button type="button" class="danger" onClick={() => void close()}>
                  Yes, mark the work as ended
                </button>
                <button type="button" onClick={() => setConfirming(false)}>
                  Cancel
                </button>
              </div>
            </Show>
          </>
        }
      >
        {(at) => <p>The work was marked as ended on {formatShort(at())}.</p>}
      </Show>
      <Show when={error()}>{(message) => <p role="alert" class="error">{message()}</p>}</Show>
    </section>
  );
}
