import { createEffect, createSignal, Match, on, onCleanup, Switch } from 'solid-js';
import './connectionBanner.css';
import type { LiveKitSession, SessionState } from './createLiveKitSession.ts';

/** How long "Video is back." stays after a reconnection: long enough to be read and announced. */
const BACK_NOTICE_MS = 5_000;

/**
 * Says plainly when video is connecting, reconnecting, back, or has failed; says nothing when all is well.
 * A status region, so that a screen reader announces each change.
 */
export function ConnectionBanner(props: { session: LiveKitSession }) {
  const back = createBackNotice(() => props.session.state());
  return (
    <div
      role="status"
      class="connection-banner"
      data-state={props.session.state()}
      data-room-state={props.session.roomState()}
      data-recoveries={props.session.recoveries()}
    >
      <Switch>
        <Match when={props.session.problem()}>{(message) => <p class="notice">{message()}</p>}</Match>
        <Match when={props.session.state() === 'connecting'}>
          <p class="notice">Connecting to video…</p>
        </Match>
        <Match when={props.session.state() === 'reconnecting'}>
          <p class="notice reconnecting">
            <span class="spinner" aria-hidden="true" />
            <strong>Reconnecting…</strong> Video and sound come back by themselves. The notes still work.
          </p>
        </Match>
        <Match when={props.session.state() === 'disconnected'}>
          <p class="notice">Video disconnected.</p>
        </Match>
        <Match when={back()}>
          <p class="notice">Video is back.</p>
        </Match>
      </Switch>
    </div>
  );
}

/** True for a few seconds after the state goes from reconnecting to connected. */
function createBackNotice(state: () => SessionState): () => boolean {
  const [back, setBack] = createSignal(false);
  let timer: ReturnType<typeof setTimeout> | undefined;
  createEffect(
    on(state, (now, before) => {
      if (now !== 'connected') {
        setBack(false);
        return;
      }
      if (before !== 'reconnecting') return;
      setBack(true);
      clearTimeout(timer);
      timer = setTimeout(() => setBack(false), BACK_NOTICE_MS);
    }),
  );
  onCleanup(() => clearTimeout(timer));
  return back;
}
