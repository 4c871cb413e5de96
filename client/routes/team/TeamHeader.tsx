import { A, useNavigate } from '@solidjs/router';
import { api } from '../../lib/api.ts';

/** The team's top bar: home, who is logged in, log out. */
export function TeamHeader(props: { userName: string }) {
  const navigate = useNavigate();
  const logout = async () => {
    await api.logout().catch(() => undefined);
    navigate('/login', { replace: true });
  };
  return (
    <header class="team-header">
      <A href="/" class="brand">
        Polyphony
      </A>
      <span class="hint">Logged in as {props.userName}</span>
      <button type="button" onClick={() => void logout()}>
        Log out
      </button>
    </header>
  );
}
