import { Show } from 'solid-js';
import { A, useNavigate } from '@solidjs/router';
import { api } from '../../lib/api.ts';
import { SkipLink } from '../../lib/SkipLink.tsx';

/**
 * The team's top bar: home, who is logged in, their account, team accounts (admins), log out; before it, the
 * skip link past it to the page's own content.
 */
export function TeamHeader(props: { userName: string; isAdmin?: boolean }) {
  const navigate = useNavigate();
  const logout = async () => {
    await api.logout().catch(() => undefined);
    navigate('/login', { replace: true });
  };
  return (
    <>
      <SkipLink />
      <header class="team-header">
        <A href="/" class="brand">
          Polyphony
        </A>
        <span class="hint">Logged in as {props.userName}</span>
        <nav aria-label="Account" class="row wrap">
          <Show when={props.isAdmin}>
            <A href="/team-accounts">Team accounts</A>
          </Show>
          <A href="/account">Your account</A>
        </nav>
        <button type="button" onClick={() => void logout()}>
          Log out
        </button>
      </header>
    </>
  );
}
