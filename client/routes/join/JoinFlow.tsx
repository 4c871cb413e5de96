import { createResource, createSignal, lazy, Match, onMount, Suspense, Switch } from 'solid-js';
import type { JoinMeetingResponse } from '../../../shared/api/meetings.ts';
import { api, messageOf, type Credentials } from '../../lib/api.ts';
import { FocusedHeading } from './FocusedHeading.tsx';
import { PreJoin, type JoinChoices } from './PreJoin.tsx';

// The meeting room pulls in livekit-client: fetched while pre-join shows (see below), not on the first screen.
const MeetingRoom = lazy(() => import('../../meeting/MeetingRoom.tsx'));

type Stage =
  | { kind: 'prejoin' }
  | { kind: 'joined'; access: JoinMeetingResponse; choices: JoinChoices }
  | { kind: 'left' };

/** Joining one meeting: pre-join, then the meeting, then a calm "you have left" with a way back in. */
export function JoinFlow(props: { meetingId: string; credentials: Credentials; suggestedName?: string | undefined; onBack?: () => void }) {
  const [meeting] = createResource(() => props.meetingId, (id) => api.getMeeting(id, props.credentials));
  const [stage, setStage] = createSignal<Stage>({ kind: 'prejoin' });
  const [busy, setBusy] = createSignal(false);
  const [joinError, setJoinError] = createSignal<string>();
  // Someone on pre-join is about to join: fetch the meeting room's code while they check their camera and
  // type their name, so that on a slow phone Join is not followed by a wait for it. A failure here is
  // retried by the room's own import on Join, where it is shown.
  onMount(() => void MeetingRoom.preload().catch(() => undefined));

  const joinMeeting = (choices: JoinChoices) =>
    api.joinMeeting(props.meetingId, { displayName: choices.displayName, timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone }, props.credentials);

  const join = async (choices: JoinChoices) => {
    setBusy(true);
    setJoinError(undefined);
    try {
      // The code is normally here already; if not, it loads while the server answers.
      const [access] = await Promise.all([joinMeeting(choices), MeetingRoom.preload().catch(() => undefined)]);
      await startVideoEarly(access, choices);
      setStage({ kind: 'joined', access, choices });
    } catch (error) {
      setJoinError(messageOf(error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Switch>
      <Match when={meeting.error as unknown}>
        <main class="page narrow">
          <h1>We could not open this meeting</h1>
          <p role="alert">{messageOf(meeting.error)}</p>
        </main>
      </Match>
      <Match when={meeting.loading}>
        <main class="page narrow" aria-busy="true">
          <p>Opening the meeting…</p>
        </main>
      </Match>
      <Match when={stage().kind === 'left'}>
        <main class="page narrow">
          <FocusedHeading>You have left the meeting</FocusedHeading>
          <p>The shared notes are kept. You can join again while the meeting goes on.</p>
          <div class="row">
            <button type="button" class="primary" onClick={() => setStage({ kind: 'prejoin' })}>
              Join again
            </button>
            {props.onBack && (
              <button type="button" onClick={() => props.onBack?.()}>
                Back
              </button>
            )}
          </div>
        </main>
      </Match>
      <Match when={joinedStage(stage())}>
        {(joined) => (
          <Suspense fallback={<p class="page">Opening the meeting room…</p>}>
            <MeetingRoom
              title={meeting()?.meeting.title ?? 'Meeting'}
              meetingId={props.meetingId}
              credentials={props.credentials}
              access={joined().access}
              choices={joined().choices}
              rejoin={() => joinMeeting(joined().choices)}
              onLeave={() => setStage({ kind: 'left' })}
            />
          </Suspense>
        )}
      </Match>
      <Match when={meeting()}>
        {(loaded) => (
          <PreJoin
            meetingTitle={loaded().meeting.title}
            suggestedName={props.suggestedName}
            busy={busy()}
            error={joinError()}
            onJoin={(c) => void join(c)}
          />
        )}
      </Match>
    </Switch>
  );
}

/**
 * Starts LiveKit's connection, then lets the browser send it before the meeting room is drawn (see
 * earlyRoom.ts): drawing it holds the page's thread, on a cheap phone for over a second.
 */
async function startVideoEarly(access: JoinMeetingResponse, choices: JoinChoices): Promise<void> {
  try {
    const { connectEarly } = await import('../../meeting/video/earlyRoom.ts');
    connectEarly(access.media, choices);
    await new Promise((resolve) => setTimeout(resolve, 0));
  } catch {
    // The meeting room connects by itself.
  }
}

function joinedStage(stage: Stage) {
  return stage.kind === 'joined' ? stage : undefined;
}
