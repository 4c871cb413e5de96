import { createSignal, Show } from 'solid-js';
import { useNavigate } from '@solidjs/router';
import { PASSWORD_MIN_LENGTH } from '../../../shared/api/auth.ts';
import { api, messageOf } from '../../lib/api.ts';
import { formFieldText } from '../../lib/formFieldText.ts';

/** First run: create the first administrator with the one-time link the server printed. */
export function SetupPage() {
  const navigate = useNavigate();
  const [error, setError] = createSignal<string>();
  // The token travels in the fragment, so it never reaches a server log.
  const token = location.hash.slice(1);

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    try {
      await api.setup({
        token,
        email: formFieldText(form, 'email'),
        name: formFieldText(form, 'name'),
        password: formFieldText(form, 'password'),
      });
      await api.login({ email: formFieldText(form, 'email'), password: formFieldText(form, 'password') });
      navigate('/', { replace: true });
    } catch (e) {
      setError(messageOf(e));
    }
  };

  return (
    <main class="page narrow">
      <h1>Set up Polyphony</h1>
      <p class="lead">Create the first administrator account. This link works once.</p>
      <form class="card stack" onSubmit={(e) => void submit(e)}>
        <label for="name">Your name</label>
        <input id="name" name="name" type="text" autocomplete="name" required />
        <label for="email">Email</label>
        <input id="email" name="email" type="email" autocomplete="username" required />
        <label for="password">Password (at least {PASSWORD_MIN_LENGTH} characters)</label>
        <input id="password" name="password" type="password" autocomplete="new-password" minLength={PASSWORD_MIN_LENGTH} required aria-describedby="password-hint" />
        <p class="hint" id="password-hint">
          A few unrelated words make a password that is easy to remember and hard to guess.
        </p>
        <button type="submit" class="primary">
          Create administrator
        </button>
        <Show when={error()}>{(message) => <p role="alert" class="error">{message()}</p>}</Show>
      </form>
    </main>
  );
}
