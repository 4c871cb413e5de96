import { createResource, createSignal, For, Show } from 'solid-js';
import type { TeamAccount } from '../../../shared/api/accounts.ts';
import { api, messageOf } from '../../lib/api.ts';
import { formatShort } from '../record/formatWhen.ts';

/** An account's live login sessions (last used, device, address), each with a way to end it. */
export function AccountSessions(props: { account: TeamAccount }) {
  const [sessions, { refetch }] = createResource(() => props.account.id, async (id) => (await api.sessions(id)).sessions);
  const [error, setError] = createSignal<string>();
  const [status, setStatus] = createSignal('');
  const end = async (work: () => Promise<string>) => {
    try {
      setStatus(await work());
      setError(undefined);
      void refetch();
    } catch (e) {
      setError(messageOf(e));
    }
  };
  return (
    <section class="stack" aria-label={`Sessions of ${props.account.name}`}>
      <ul class="plain-list">
        <For each={sessions()} fallback={<li>{sessions.loading ? 'Loading…' : 'Not logged in anywhere.'}</li>}>
          {(s) => (
            <li class="member">
              <p>
                Last used {formatShort(s.lastSeenAt)} · logged in {formatShort(s.createdAt)}
                <Show when={s.address}>{(address) => ` · from ${address()}`}</Show>
              </p>
              <p class="hint">{s.userAgent ?? 'Unknown browser'}</p>
              <button type="button" class="danger-outline" onClick={() => void end(async () => (await api.endSession(props.account.id, s.id), 'Session ended.'))}>
                End this session
              </button>
            </li>
          )}
        </For>
      </ul>
      <Show when={(sessions()?.length ?? 0) > 1}>
        <button
          type="button"
          class="danger-outline"
          onClick={() => void end(async () => `${(await api.endSessions(props.account.id)).ended} sessions ended.`)}
        >
          End all sessions of {props.account.name}
        </button>
      </Show>
      <p role="status" class="status">
        {status()}
      </p>
      <Show when={error()}>{(message) => <p role="alert" class="error">{message()}</p>}</Show>
    </section>
  );
}
