import { createResource, createSignal, For, Match, Show, Switch } from 'solid-js';
import { useParams } from '@solidjs/router';
import type { InviteLanding } from '../../../shared/api/networks.ts';
import { api, messageOf } from '../../lib/api.ts';
import { JoinFlow } from '../join/JoinFlow.tsx';

/**
 * A network member's personal link: a plain welcome, the network's meetings, and the way into each.
 * The token stays in memory and goes to the API in a header; it is never stored in the browser.
 */
export function InvitePage() {
  const params = useParams<{ token: string }>();
  const [landing] = createResource(() => params.token, (token) => api.inviteLanding(token));
  const [meetingId, setMeetingId] = createSignal<string>();
  return (
    <Switch>
      <Match when={landing.error as unknown}>
        <main class="page narrow">
          <h1>This link does not work any more</h1>
          <p role="alert">{messageOf(landing.error)}</p>
        </main>
      </Match>
      <Match when={meetingId()}>
        {(id) => (
          <JoinFlow
            meetingId={id()}
            credentials={{ inviteToken: params.token }}
            suggestedName={landing()?.member.name}
            onBack={() => setMeetingId(undefined)}
          />
        )}
      </Match>
      <Match when={landing()}>{(l) => <Welcome landing={l()} onJoin={setMeetingId} />}</Match>
    </Switch>
  );
}

function Welcome(props: { landing: InviteLanding; onJoin: (meetingId: string) => void }) {
  const open = () => props.landing.meetings.filter((m) => m.status !== 'ended');
  return (
    <main class="page narrow">
      <h1>Hello, {props.landing.member.name}</h1>
      <p class="lead">You are invited to the network meetings of {props.landing.network.personName}.</p>
      <section class="card stack" aria-labelledby="upcoming-heading">
        <h2 id="upcoming-heading">Meetings</h2>
        <Show when={open().length > 0} fallback={<p>There is no meeting planned right now. The team will let you know.</p>}>
          <ul class="plain-list">
            <For each={open()}>
              {(m) => (
                <li class="row wrap">
                  <span>
                    {m.title}, {new Date(m.scheduledAt).toLocaleString([], { dateStyle: 'full', timeStyle: 'short' })}
                  </span>
                  <button type="button" class="primary" onClick={() => props.onJoin(m.id)}>
                    Join this meeting
                  </button>
                </li>
              )}
            </For>
          </ul>
        </Show>
      </section>
      <p class="hint">This link is personal to you. Everything written in the meetings can be read by everyone in the network.</p>
    </main>
  );
}
