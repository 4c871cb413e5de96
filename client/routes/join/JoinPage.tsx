import { createResource, createSignal, lazy, Match, Show, Suspense, Switch } from 'solid-js';
import { useParams } from '@solidjs/router';
import type { JoinMeetingResponse } from '../../../shared/api/meetings.ts';
import { api, ApiCallError } from '../../lib/api.ts';
import { PreJoin, type JoinChoices } from './PreJoin.tsx';

// The meeting room pulls in livekit-client and the editor: load them only once someone joins.
const MeetingRoom = lazy(() => import('../../meeting/MeetingRoom.tsx'));

type Stage =
  | { kind: 'prejoin' }
  | { kind: 'joined'; access: JoinMeetingResponse; choices: JoinChoices }
  | { kind: 'left' };

/** A join link: pre-join, then the meeting, then a calm "you have left" with a way back in. */
export function JoinPage() {
  const params = useParams<{ id: string }>();
  const [meeting] = createResource(() => params.id, (id) => api.getMeeting(id));
  const [stage, setStage] = createSignal<Stage>({ kind: 'prejoin' });
  const [busy, setBusy] = createSignal(false);
  const [joinError, setJoinError] = createSignal<string>();

  const join = async (choices: JoinChoices) => {
    setBusy(true);
    setJoinError(undefined);
    try {
      const access = await api.joinMeeting(params.id, { displayName: choices.displayName });
      setStage({ kind: 'joined', access, choices });
    } catch (error) {
      setJoinError(error instanceof ApiCallError ? error.message : 'Joining did not work. Please try again.');
    } finally {
      setBusy(false);
    }
  };

  return (
    <Switch>
      <Match when={meeting.error as unknown}>
        <main class="page narrow">
          <h1>We could not open this meeting</h1>
          <p role="alert">{meeting.error instanceof ApiCallError ? meeting.error.message : 'Please check the link and try again.'}</p>
        </main>
      </Match>
      <Match when={meeting.loading}>
        <main class="page narrow" aria-busy="true">
          <p>Opening the meeting…</p>
        </main>
      </Match>
      <Match when={stage().kind === 'left'}>
        <main class="page narrow">
          <h1>You have left the meeting</h1>
          <p>The shared notes are kept. You can join again with the same link.</p>
          <button type="button" class="primary" onClick={() => setStage({ kind: 'prejoin' })}>
            Join again
          </button>
        </main>
      </Match>
      <Match when={joinedStage(stage())}>
        {(joined) => (
          <Suspense fallback={<p class="page">Opening the meeting room…</p>}>
            <MeetingRoom
              title={meeting()?.meeting.title ?? 'Meeting'}
              access={joined().access}
              choices={joined().choices}
              onLeave={() => setStage({ kind: 'left' })}
            />
          </Suspense>
        )}
      </Match>
      <Match when={meeting()}>
        {(loaded) => <PreJoin meetingTitle={loaded().meeting.title} busy={busy()} error={joinError()} onJoin={(c) => void join(c)} />}
      </Match>
    </Switch>
  );
}

function joinedStage(stage: Stage) {
  return stage.kind === 'joined' ? stage : undefined;
}
