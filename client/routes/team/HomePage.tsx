import { createSignal, Match, Show, Switch } from 'solid-js';
import { A, useNavigate } from '@solidjs/router';
import { api, messageOf } from '../../lib/api.ts';
import { formFieldText } from '../../lib/formFieldText.ts';
import { createTeamSession } from '../../lib/session.ts';
import { CaseloadList } from './CaseloadList.tsx';
import { RetentionForm } from './RetentionForm.tsx';
import { browserTimeZone, TimeZoneField } from './TimeZoneField.tsx';
import { TeamHeader } from './TeamHeader.tsx';

/** The start page: a team member's networks, or a plain welcome with the way in for each kind of visitor. */
export function HomePage() {
  const session = createTeamSession();
  return (
    <Switch>
      <Match when={session.user.loading}>
        <main class="page narrow" aria-busy="true">
          <p>Loading…</p>
        </main>
      </Match>
      <Match when={session.user()}>{(user) => <NetworksPage userName={user().name} isAdmin={user().isAdmin} />}</Match>
      <Match when={true}>
        <main class="page narrow">
          <h1>Polyphony</h1>
          <p class="lead">Network meetings online: everyone sees and hears each other, and everyone reads the same notes.</p>
          <div class="card stack">
            <h2>Invited to a meeting?</h2>
            <p>Open the personal link the team sent you. You do not need an account.</p>
            <h2>Team member?</h2>
            <p>
              <A href="/login">Log in</A>
            </p>
          </div>
        </main>
      </Match>
    </Switch>
  );
}

function NetworksPage(props: { userName: string; isAdmin: boolean }) {
  const navigate = useNavigate();
  const [error, setError] = createSignal<string>();

  const create = async (event: SubmitEvent) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    const referred = formFieldText(form, 'referredAt');
    try {
      const { network } = await api.createNetwork({
        personName: formFieldText(form, 'personName'),
        referredAt: referred ? new Date(referred).toISOString() : new Date().toISOString(),
        timeZone: formFieldText(form, 'timeZone'),
      });
      navigate(`/networks/${network.id}`);
    } catch (e) {
      setError(messageOf(e));
    }
  };

  return (
    <>
      <TeamHeader userName={props.userName} isAdmin={props.isAdmin} />
      <main class="page">
        <h1>Networks</h1>
        <CaseloadList />
        <form class="card stack" onSubmit={(e) => void create(e)}>
          <h2>Open a network</h2>
          <label for="personName">Name of the person at the centre</label>
          <input id="personName" name="personName" type="text" required maxLength={100} />
          <label for="referredAt">When the referral came in</label>
          <input id="referredAt" name="referredAt" type="datetime-local" />
          <p class="hint">Leave empty for now. The first meeting should be within 24 hours of the referral.</p>
          <TimeZoneField id="timeZone" name="timeZone" value={browserTimeZone()} hintId="timeZone-hint" />
          <button type="submit" class="primary">
            Open network
          </button>
          <Show when={error()}>{(message) => <p role="alert" class="error">{message()}</p>}</Show>
        </form>
        <Show when={props.isAdmin}>
          <RetentionForm />
        </Show>
      </main>
    </>
  );
}
