import { createResource, createSignal, For, Match, Show, Switch } from 'solid-js';
import { A } from '@solidjs/router';
import { PASSWORD_MIN_LENGTH } from '../../../shared/api/auth.ts';
import { api, messageOf } from '../../lib/api.ts';
import { CopyLink } from '../../lib/CopyLink.tsx';
import { checkRadio, formFieldText } from '../../lib/formFieldText.ts';
import { createTeamSession } from '../../lib/session.ts';
import { formatShort } from '../record/formatWhen.ts';
import { AccountRow } from './AccountRow.tsx';
import { TeamHeader } from './TeamHeader.tsx';

/**
 * For administrators: every team account, adding one (with a first password, or a one-time link so the person
 * chooses their own), and (per account) deactivation with a reason, reactivation, reset links and sessions.
 */
export function TeamAccountsPage() {
  const session = createTeamSession();
  return (
    <Switch>
      <Match when={session.user.loading}>
        <main class="page narrow" aria-busy="true">
          <p>Loading…</p>
        </main>
      </Match>
      <Match when={session.user()?.isAdmin ? session.user() : undefined}>
        {(user) => (
          <>
            <TeamHeader userName={user().name} isAdmin />
            <AccountsList ownId={user().id} />
          </>
        )}
      </Match>
      <Match when={true}>
        <main class="page narrow">
          <h1>Team accounts</h1>
          <p>Only an administrator can manage team accounts.</p>
          <A href="/">Back to the start page</A>
        </main>
      </Match>
    </Switch>
  );
}

function AccountsList(props: { ownId: string }) {
  const [accounts, { refetch }] = createResource(async () => (await api.accounts()).accounts);
  const active = () => (accounts() ?? []).filter((a) => !a.deactivatedAt);
  const deactivated = () => (accounts() ?? []).filter((a) => a.deactivatedAt);
  const [notice, setNotice] = createSignal('');
  let noticeElement: HTMLParagraphElement | undefined;
  // A deactivated or reactivated row moves to the other list, so its buttons go: the outcome is said
  // here, and focus comes here too, so keyboard and screen reader users are not left on nothing.
  const changed = (message: string) => {
    setNotice(message);
    void refetch();
    noticeElement?.focus();
  };
  const reload = async () => void (await refetch());
  return (
    <main class="page">
      <h1>Team accounts</h1>
      <p role="status" class="status notice" tabindex="-1" ref={noticeElement}>
        {notice()}
      </p>
      <Show when={accounts.error !== undefined}>
        <p role="alert" class="error">
          {messageOf(accounts.error)}
        </p>
      </Show>
      <section aria-labelledby="active-heading">
        <h2 id="active-heading">Active ({active().length})</h2>
        <ul class="plain-list">
          <For each={active()}>{(account) => <AccountRow account={account} isSelf={account.id === props.ownId} changed={changed} />}</For>
        </ul>
      </section>
      <Show when={deactivated().length > 0}>
        <section aria-labelledby="deactivated-heading">
          <h2 id="deactivated-heading">Deactivated ({deactivated().length})</h2>
          <ul class="plain-list">
            <For each={deactivated()}>{(account) => <AccountRow account={account} isSelf={false} changed={changed} />}</For>
          </ul>
        </section>
      </Show>
      <AddAccountForm added={reload} />
    </main>
  );
}

/** `added` resolves once the list shows the new account, so the link shown after it stays where it is put. */
function AddAccountForm(props: { added: () => Promise<void> }) {
  const [error, setError] = createSignal<string>();
  const [done, setDone] = createSignal('');
  const [reset, setReset] = createSignal<{ name: string; url: string; expiresAt: string }>();
  // A one-time link is the default: the admin never knows the password, and the person picks one they remember.
  const [withPassword, setWithPassword] = createSignal(false);
  const add = async (event: SubmitEvent) => {
    event.preventDefault();
    const element = event.currentTarget as HTMLFormElement;
    const form = new FormData(element);
    try {
      const { user, reset: link } = await api.createUser({
        email: formFieldText(form, 'newEmail'),
        name: formFieldText(form, 'newName'),
        role: formFieldText(form, 'newRole') === 'peer_worker' ? 'peer_worker' : 'practitioner',
        isAdmin: form.get('newAdmin') === 'on',
        ...(withPassword() ? { password: formFieldText(form, 'newPassword') } : {}),
      });
      element.reset();
      setWithPassword(false);
      // reset() clears radios bound by property (no checked attribute to return to): tick the default again.
      checkRadio(element, 'passwordChoice', 'link');
      setError(undefined);
      await props.added();
      setDone(
        link
          ? `Added ${user.name}. Give them the link below (it works once, until ${formatShort(link.expiresAt)}): they choose their own password with it.`
          : `Added ${user.name}. Give them their password in person, or a reset link so they choose their own.`,
      );
      // Last, once nothing above it moves any more: the link takes the focus and so comes into view.
      setReset(link ? { name: user.name, ...link } : undefined);
    } catch (e) {
      setDone('');
      setError(messageOf(e));
    }
  };
  return (
    <form class="card stack" onSubmit={(e) => void add(e)} aria-labelledby="add-heading">
      <h2 id="add-heading">Add a team member</h2>
      <label for="newName">Name</label>
      <input id="newName" name="newName" type="text" autocomplete="off" required maxLength={100} />
      <label for="newEmail">Email</label>
      <input id="newEmail" name="newEmail" type="email" autocomplete="off" required />
      <label for="newRole">Role</label>
      <select id="newRole" name="newRole">
        <option value="practitioner">Practitioner</option>
        <option value="peer_worker">Peer worker</option>
      </select>
      <label class="check">
        <input type="checkbox" name="newAdmin" /> Administrator (manages accounts and sees every network)
      </label>
      <fieldset class="stack">
        <legend>Their password</legend>
        <label class="check">
          <input type="radio" name="passwordChoice" value="link" checked={!withPassword()} onChange={() => setWithPassword(false)} /> They choose it, with a one-time link shown here
        </label>
        <label class="check">
          <input type="radio" name="passwordChoice" value="password" checked={withPassword()} onChange={() => setWithPassword(true)} /> I set a first password now
        </label>
        <Show when={withPassword()}>
          <label for="newPassword">First password</label>
          <input id="newPassword" name="newPassword" type="password" autocomplete="new-password" required minLength={PASSWORD_MIN_LENGTH} aria-describedby="newPassword-hint" />
          <p class="hint" id="newPassword-hint">
            At least {PASSWORD_MIN_LENGTH} characters; a few unrelated words work well.
          </p>
        </Show>
      </fieldset>
      <button type="submit" class="primary">
        Add team member
      </button>
      <p role="status" class="status">
        {done()}
      </p>
      <Show when={reset()}>{(link) => <CopyLink url={link().url} id="new-account-link" label={`Link for ${link().name} to choose a password`} focus />}</Show>
      <Show when={error()}>{(message) => <p role="alert" class="error">{message()}</p>}</Show>
    </form>
  );
}
