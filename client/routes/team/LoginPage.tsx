import { createSignal, Show } from 'solid-js';
import { useNavigate } from '@solidjs/router';
import { api, messageOf } from '../../lib/api.ts';
import { formFieldText } from '../../lib/formFieldText.ts';

/** Team login. Network members never log in: their invite link is their way in. */
export function LoginPage() {
  const navigate = useNavigate();
  const [error, setError] = createSignal<string>();
  const [busy, setBusy] = createSignal(false);

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    setBusy(true);
    setError(undefined);
    try {
      await api.login({ email: formFieldText(form, 'email'), password: formFieldText(form, 'password') });
      navigate('/', { replace: true });
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main class="page narrow">
      <h1>Team login</h1>
      <p class="lead">For practitioners and peer workers. If you were invited to a meeting, open the link you were sent instead.</p>
      <form class="card stack" onSubmit={(e) => void submit(e)}>
        <label for="email">Email</label>
        <input id="email" name="email" type="email" autocomplete="username" required />
        <label for="password">Password</label>
        <input id="password" name="password" type="password" autocomplete="current-password" required />
        <button type="submit" class="primary" disabled={busy()}>
          {busy() ? 'Logging in…' : 'Log in'}
        </button>
        <Show when={error()}>{(message) => <p role="alert" class="error">{message()}</p>}</Show>
      </form>
    </main>
  );
}
