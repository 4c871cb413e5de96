import { Match, Switch } from 'solid-js';
import type { LiveKitSession } from './createLiveKitSession.ts';

/** Says plainly when video is connecting, reconnecting or has failed; says nothing when all is well. */
export function ConnectionBanner(props: { session: LiveKitSession }) {
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
          <p class="notice">Connection lost. Reconnecting…</p>
        </Match>
        <Match when={props.session.state() === 'disconnected'}>
          <p class="notice">Video disconnected.</p>
        </Match>
      </Switch>
    </div>
  );
}
