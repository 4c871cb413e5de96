import { createSignal, Match, Show, Switch } from 'solid-js';
import { A } from '@solidjs/router';
import { PASSWORD_MIN_LENGTH } from '../../../shared/api/auth.ts';
import { api, messageOf } from '../../lib/api.ts';
import { formFieldText } from '../../lib/formFieldText.ts';
import { createTeamSession } from '../../lib/session.ts';
import { TeamHeader } from './TeamHeader.tsx';

/** A team member's own account: changing their password (the current one is asked for). */
export function AccountPage() {
  const session = createTeamSession();
  return (
    <Switch>
      <Match when={session.user.loading}>
        <main class="page narrow" aria-busy="true">
          <p>Loading…</p>
        </main>
      </Match>
      <Match when={session.user()}>
        {(user) => (
          <>
            <TeamHeader userName={user().name} isAdmin={user().isAdmin} />
            <main class="page narrow">
              <h1>Your account</h1>
              <p>
                {user().name} · {user().email}
              </p>
              <ChangePasswordForm />
            </main>
          </>
        )}
      </Match>
      <Match when={true}>
        <main class="page narrow">
          <p>
            Please <A href="/login">log in</A> first.
          </p>
        </main>
      </Match>
    </Switch>
  );
}

function ChangePasswordForm() {
  const [error, setError] = createSignal<string>();
  const [saved, setSaved] = createSignal('');
  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    const element = event.currentTarget as HTMLFormElement;
    const form = new FormData(element);
    const newPassword = formFieldText(form, 'newPassword');
    if (newPassword !== formFieldText(form, 'confirmPassword')) {
      setSaved('');
      setError('The two new passwords are not the same. Please type it again.');
      return;
    }
    try {
      await api.changePassword({ currentPassword: formFieldText(form, 'currentPassword'), newPassword });
      element.reset();
      setError(undefined);
      setSaved('Password changed. You stay logged in here; every other device was logged out.');
    } catch (e) {
      setSaved('');
      setError(messageOf(e));
    }
  };
  return (
    <form class="card stack" onSubmit={(e) => void submit(e)} aria-labelledby="password-heading">
      <h2 id="password-heading">Change your password</h2>
      <label for="currentPassword">Current password</label>
      <input id="currentPassword" name="currentPassword" type="password" autocomplete="current-password" required />
      <label for="newPassword">New password</label>
      <input id="newPassword" name="newPassword" type="password" autocomplete="new-password" required minLength={PASSWORD_MIN_LENGTH} aria-describedby="newPassword-hint" />
      <p class="hint" id="newPassword-hint">
        At least {PASSWORD_MIN_LENGTH} characters. A few unrelated words make a password that is easy to remember and hard to guess.
      </p>
      <label for="confirmPassword">New password again</label>
      <input id="confirmPassword" name="confirmPassword" type="password" autocomplete="new-password" required />
      <button type="submit" class="primary">
        Change password
      </button>
      <p role="status" class="status">
        {saved()}
      </p>
      <Show when={error()}>{(message) => <p role="alert" class="error">{message()}</p>}</Show>
    </form>
  );
}
