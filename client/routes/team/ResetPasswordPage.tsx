import { createSignal, Show } from 'solid-js';
import { A } from '@solidjs/router';
import { PASSWORD_MIN_LENGTH } from '../../../shared/api/auth.ts';
import { api, messageOf } from '../../lib/api.ts';
import { formFieldText } from '../../lib/formFieldText.ts';

/** Where a reset link leads: the person chooses a new password. The link works once. */
export function ResetPasswordPage() {
  // The token travels in the fragment, so it never reaches a server log.
  const token = location.hash.slice(1);
  const [error, setError] = createSignal<string>();
  const [done, setDone] = createSignal(false);

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    const password = formFieldText(form, 'password');
    if (password !== formFieldText(form, 'confirm')) {
      setError('The two passwords are not the same. Please type it again.');
      return;
    }
    try {
      await api.completeReset({ token, password });
      setDone(true);
    } catch (e) {
      setError(messageOf(e));
    }
  };

  return (
    <main class="page narrow">
      <h1>Choose a new password</h1>
      <Show
        when={!done()}
        fallback={
          <div class="card stack" role="status">
            <p>Your password is changed. You are logged out everywhere else.</p>
            <A href="/login">Log in with your new password</A>
          </div>
        }
      >
        <p class="lead">This link works once. After this you are logged out on every device.</p>
        <form class="card stack" onSubmit={(e) => void submit(e)}>
          <label for="password">New password</label>
          <input id="password" name="password" type="password" autocomplete="new-password" required minLength={PASSWORD_MIN_LENGTH} aria-describedby="password-hint" />
          <p class="hint" id="password-hint">
            At least {PASSWORD_MIN_LENGTH} characters. A few unrelated words make a password that is easy to remember and hard to guess.
          </p>
          <label for="confirm">New password again</label>
          <input id="confirm" name="confirm" type="password" autocomplete="new-password" required />
          <button type="submit" class="primary">
            Set new password
          </button>
          <Show when={error()}>{(message) => <p role="alert" class="error">{message()}</p>}</Show>
        </form>
      </Show>
    </main>
  );
}
