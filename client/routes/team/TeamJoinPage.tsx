import { Show } from 'solid-js';
import { useNavigate, useParams } from '@solidjs/router';
import { createTeamSession } from '../../lib/session.ts';
import { JoinFlow } from '../join/JoinFlow.tsx';

/** A team member joining a meeting of one of their networks (their session cookie is their credential). */
export function TeamJoinPage() {
  const params = useParams<{ id: string }>();
  const navigate = useNavigate();
  const session = createTeamSession();
  return (
    <Show when={!session.user.loading} fallback={<p class="page">Loading…</p>}>
      <JoinFlow meetingId={params.id} credentials={{}} suggestedName={session.user()?.name} onBack={() => navigate('/')} />
    </Show>
  );
}
