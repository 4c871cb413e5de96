import { createSignal, Show } from 'solid-js';
import type { TeamAccount } from '../../../shared/api/accounts.ts';
import { ROLE_LABELS } from '../../../shared/api/roles.ts';
import { api, messageOf } from '../../lib/api.ts';
import { CopyLink } from '../../lib/CopyLink.tsx';
import { formFieldText } from '../../lib/formFieldText.ts';
import { formatShort } from '../record/formatWhen.ts';
import { AccountSessions } from './AccountSessions.tsx';

/** One team account on the admin page: who, status, and what an admin can do with it. */
export function AccountRow(props: { account: TeamAccount; isSelf: boolean; changed: (message: string) => void }) {
  const [panel, setPanel] = createSignal<'none' | 'deactivate' | 'sessions'>('none');
  const [resetUrl, setResetUrl] = createSignal<string>();
  const [status, setStatus] = createSignal('');
  const [error, setError] = createSignal<string>();
  const name = () => props.account.name;
  const succeed = (message: string) => {
    setStatus(message);
    setError(undefined);
  };
  const fail = (e: unknown) => {
    setStatus('');
    setError(messageOf(e));
  };
  const deactivate = async (event: SubmitEvent) => {
    event.preventDefault();
    const reason = formFieldText(new FormData(event.currentTarget as HTMLFormElement), 'reason');
    try {
      const done = await api.deactivate(props.account.id, reason);
      const networks = done.networkIds.length === 1 ? '1 network' : `${done.networkIds.length} networks`;
      props.changed(`${name()} is deactivated: logged out everywhere and taken off ${networks}.`);
    } catch (e) {
      fail(e);
    }
  };
  const reactivate = async () => {
    try {
      await api.reactivate(props.account.id);
      props.changed(`${name()} can log in again. Add them back to the networks they should be on.`);
    } catch (e) {
      fail(e);
    }
  };
  const reset = async () => {
    try {
      const link = await api.passwordReset(props.account.id);
      setResetUrl(link.url);
      succeed(`Reset link made for ${name()}. It works once, until ${formatShort(link.expiresAt)}, and is shown only now.`);
    } catch (e) {
      fail(e);
    }
  };

  return (
    <li class="card stack account">
      <div>
        <strong>{name()}</strong> · {props.account.email}
        <p class="hint">
          {ROLE_LABELS[props.account.role]}
          {props.account.isAdmin ? ' · administrator' : ''}
          {props.isSelf ? ' · you' : ''}
          <Show when={props.account.deactivatedAt}>{(at) => ` · deactivated ${formatShort(at())}`}</Show>
        </p>
      </div>
      <div class="row wrap">
        <Show
          when={props.account.deactivatedAt}
          fallback={
            <>
              <button type="button" onClick={() => setPanel(panel() === 'sessions' ? 'none' : 'sessions')} aria-expanded={panel() === 'sessions'}>
                Sessions of {name()}
              </button>
              <button type="button" onClick={() => void reset()}>
                Reset password of {name()}
              </button>
              <button type="button" class="danger-outline" onClick={() => setPanel(panel() === 'deactivate' ? 'none' : 'deactivate')} aria-expanded={panel() === 'deactivate'}>
                Deactivate {name()}
              </button>
            </>
          }
        >
          <button type="button" onClick={() => void reactivate()}>
            Reactivate {name()}
          </button>
        </Show>
      </div>
      <Show when={panel() === 'deactivate'}>
        <form class="stack notice" onSubmit={(e) => void deactivate(e)}>
          <label for={`reason-${props.account.id}`}>Why is {name()}'s account deactivated?</label>
          <input id={`reason-${props.account.id}`} name="reason" type="text" required maxLength={500} aria-describedby={`reason-hint-${props.account.id}`} />
          <p class="hint" id={`reason-hint-${props.account.id}`}>
            They are logged out at once, leave any meeting they are in, and are taken off every network; the reason is kept with each change.
          </p>
          <div class="row wrap">
            <button type="submit" class="danger">
              Deactivate now
            </button>
            <button type="button" onClick={() => setPanel('none')}>
              Cancel
            </button>
          </div>
        </form>
      </Show>
      <Show when={panel() === 'sessions'}>
        <AccountSessions account={props.account} />
      </Show>
      <Show when={resetUrl()}>{(url) => <CopyLink url={url()} id={`reset-${props.account.id}`} label={`Password reset link for ${name()}`} />}</Show>
      <p role="status" class="status">
        {status()}
      </p>
      <Show when={error()}>{(message) => <p role="alert" class="error">{message()}</p>}</Show>
    </li>
  );
}
