import { createResource, createSignal, For, Show } from 'solid-js';
import { A, useParams } from '@solidjs/router';
import type { NetworkDetail } from '../../../shared/api/networks.ts';
import { api, messageOf } from '../../lib/api.ts';
import { createTeamSession } from '../../lib/session.ts';
import { MembersSection } from './MembersSection.tsx';
import { referralClock } from './referralClock.ts';
import { TeamHeader } from './TeamHeader.tsx';

/** One network for its team: the 24-hour clock, the team, the network members and their invites, meetings. */
export function NetworkPage() {
  const params = useParams<{ id: string }>();
  const session = createTeamSession();
  const [detail, { refetch }] = createResource(() => params.id, (id) => api.network(id));
  return (
    <>
      <Show when={session.user()}>{(user) => <TeamHeader userName={user().name} />}</Show>
      <main class="page">
        <Show when={detail.error as unknown}>
          <h1>We could not open this network</h1>
          <p role="alert">{messageOf(detail.error)}</p>
        </Show>
        <Show when={detail()}>{(d) => <NetworkView detail={d()} refresh={() => void refetch()} />}</Show>
      </main>
    </>
  );
}

function NetworkView(props: { detail: NetworkDetail; refresh: () => void }) {
  const network = () => props.detail.network;
  const firstMeeting = () => props.detail.meetings[0]?.scheduledAt;
  const clock = () => referralClock(network().referredAt, firstMeeting(), new Date());
  return (
    <>
      <h1>Network of {network().personName}</h1>
      <p class="clock" data-state={clock().state}>
        Referred {new Date(network().referredAt).toLocaleString()}. {clock().text}.
      </p>
      <div class="columns">
        <MeetingsSection detail={props.detail} refresh={props.refresh} />
        <MembersSection detail={props.detail} refresh={props.refresh} />
        <TeamSection detail={props.detail} refresh={props.refresh} />
      </div>
    </>
  );
}

function MeetingsSection(props: { detail: NetworkDetail; refresh: () => void }) {
  const [error, setError] = createSignal<string>();
  const schedule = async (event: SubmitEvent) => {
    event.preventDefault();
    const at = String(new FormData(event.currentTarget as HTMLFormElement).get('scheduledAt') ?? '');
    try {
      await api.createMeeting(props.detail.network.id, { scheduledAt: at ? new Date(at).toISOString() : new Date().toISOString() });
      setError(undefined);
      props.refresh();
    } catch (e) {
      setError(messageOf(e));
    }
  };
  return (
    <section class="card stack" aria-labelledby="meetings-heading">
      <h2 id="meetings-heading">Meetings</h2>
      <ul class="plain-list">
        <For each={props.detail.meetings} fallback={<li>No meetings yet.</li>}>
          {(m) => (
            <li>
              {new Date(m.scheduledAt).toLocaleString()} · {m.status}{' '}
              <Show when={m.status !== 'ended'}>
                <A href={`/meetings/${m.id}`}>Join {m.title}</A>
              </Show>
            </li>
          )}
        </For>
      </ul>
      <form class="stack" onSubmit={(e) => void schedule(e)}>
        <label for="scheduledAt">New meeting at</label>
        <input id="scheduledAt" name="scheduledAt" type="datetime-local" />
        <button type="submit">Schedule meeting</button>
        <Show when={error()}>{(message) => <p role="alert" class="error">{message()}</p>}</Show>
      </form>
    </section>
  );
}

function TeamSection(props: { detail: NetworkDetail; refresh: () => void }) {
  const [error, setError] = createSignal<string>();
  const assign = async (event: SubmitEvent) => {
    event.preventDefault();
    const email = String(new FormData(event.currentTarget as HTMLFormElement).get('teamEmail') ?? '');
    try {
      await api.assignTeam(props.detail.network.id, email);
      setError(undefined);
      props.refresh();
    } catch (e) {
      setError(messageOf(e));
    }
  };
  return (
    <section class="card stack" aria-labelledby="team-heading">
      <h2 id="team-heading">Team</h2>
      <p class="hint">The same people throughout.</p>
      <ul class="plain-list">
        <For each={props.detail.team}>{(t) => <li>{t.user.name} · {t.user.role === 'peer_worker' ? 'peer worker' : 'practitioner'}</li>}</For>
      </ul>
      <form class="stack" onSubmit={(e) => void assign(e)}>
        <label for="teamEmail">Add a team member by email</label>
        <input id="teamEmail" name="teamEmail" type="email" required />
        <button type="submit">Add to team</button>
        <Show when={error()}>{(message) => <p role="alert" class="error">{message()}</p>}</Show>
      </form>
    </section>
  );
}
