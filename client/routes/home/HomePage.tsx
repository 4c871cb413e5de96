import { createSignal, Show } from 'solid-js';
import { useNavigate } from '@solidjs/router';
import { api, ApiCallError } from '../../lib/api.ts';
import type { CreateMeetingResponse } from '../../../shared/api/meetings.ts';
import { CopyLink } from './CopyLink.tsx';

/** Start page: create a meeting and get the link to send to everyone in the network. */
export function HomePage() {
  const navigate = useNavigate();
  const [created, setCreated] = createSignal<CreateMeetingResponse>();
  const [error, setError] = createSignal<string>();
  const [busy, setBusy] = createSignal(false);

  const create = async (event: SubmitEvent) => {
    event.preventDefault();
    const title = new FormData(event.currentTarget as HTMLFormElement).get('title');
    setBusy(true);
    setError(undefined);
    try {
      setCreated(await api.createMeeting(typeof title === 'string' && title.trim() ? { title: title.trim() } : {}));
    } catch (e) {
      setError(e instanceof ApiCallError ? e.message : 'Something went wrong. Please try again.');
    } finally {
      setBusy(false);
    }
  };

  return (
    <main class="page narrow">
      <h1>Polyphony</h1>
      <p class="lead">Network meetings online: everyone sees and hears each other, and everyone reads the same notes.</p>
      <Show
        when={created()}
        fallback={
          <form class="card stack" onSubmit={create}>
            <h2>Start a meeting</h2>
            <label for="title">Meeting name (optional)</label>
            <input id="title" name="title" type="text" maxLength={120} placeholder="Network meeting" autocomplete="off" />
            <button type="submit" class="primary" disabled={busy()}>
              {busy() ? 'Creating…' : 'Create meeting'}
            </button>
            <Show when={error()}>{(message) => <p role="alert" class="error">{message()}</p>}</Show>
          </form>
        }
      >
        {(meeting) => (
          <section class="card stack" aria-labelledby="created-heading">
            <h2 id="created-heading">Your meeting is ready</h2>
            <p>Send this link to everyone who should join. Anyone with the link can join, so share it only with them.</p>
            <CopyLink url={new URL(meeting().joinPath, location.origin).href} />
            <button type="button" class="primary" onClick={() => navigate(meeting().joinPath)}>
              Join the meeting now
            </button>
          </section>
        )}
      </Show>
    </main>
  );
}
