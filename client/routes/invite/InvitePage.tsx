import { createResource, createSignal, lazy, Match, Show, Switch } from 'solid-js';
import { useNavigate, useParams } from '@solidjs/router';
import { api, messageOf } from '../../lib/api.ts';
import { JoinFlow } from '../join/JoinFlow.tsx';
import { Welcome } from './Welcome.tsx';

// A past meeting's record is opened by few, and rarely on the first visit: fetched when it is.
const MemberRecord = lazy(async () => ({ default: (await import('./MemberRecord.tsx')).MemberRecord }));

/**
 * A network member's personal link: a plain welcome, the meetings ahead (join, add to calendar) and the
 * record of every meeting held. The token stays in memory and goes to the API in a header; it is never
 * stored in the browser.
 */
export function InvitePage() {
  // `/i/:token/record/:meetingId` opens one record at once (the link on the end screen of a meeting).
  const params = useParams<{ token: string; meetingId?: string }>();
  const navigate = useNavigate();
  const [data, { refetch }] = createResource(
    () => params.token,
    async (token) => {
      const [landing, overview] = await Promise.all([api.inviteLanding(token), api.memberOverview(token)]);
      return { landing, overview };
    },
  );
  const [meetingId, setMeetingId] = createSignal<string>();
  const [recordId, setRecordId] = createSignal<string | undefined>(params.meetingId);
  const closeRecord = () => {
    setRecordId(undefined);
    if (params.meetingId !== undefined) navigate(`/i/${encodeURIComponent(params.token)}`, { replace: true });
  };
  return (
    <Switch>
      <Match when={data.error as unknown}>
        <main class="page narrow">
          <h1>This link does not work any more</h1>
          <p role="alert">{messageOf(data.error)}</p>
        </main>
      </Match>
      <Match when={meetingId()}>
        {(id) => (
          <JoinFlow
            meetingId={id()}
            credentials={{ inviteToken: params.token }}
            suggestedName={data()?.landing.member.name}
            onBack={() => {
              setMeetingId(undefined);
              void refetch();
            }}
          />
        )}
      </Match>
      <Match when={recordId()}>{(id) => <MemberRecord meetingId={id()} inviteToken={params.token} onBack={closeRecord} />}</Match>
      <Match when={data()}>
        {(d) => <Welcome landing={d().landing} overview={d().overview} inviteToken={params.token} onJoin={setMeetingId} onRead={setRecordId} />}
      </Match>
      <Match when={true}>
        <Show when={data.loading}>
          <main class="page narrow" aria-busy="true">
            <p>Loading…</p>
          </main>
        </Show>
      </Match>
    </Switch>
  );
}
