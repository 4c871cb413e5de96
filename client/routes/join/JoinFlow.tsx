import { createEffect, createResource, createSignal, lazy, Match, Suspense, Switch } from 'solid-js';
import { memberJoinWindow } from '../../../shared/api/joinWindow.ts';
import type { GetMeetingResponse, JoinMeetingResponse } from '../../../shared/api/meetings.ts';
import { api, messageOf, type Credentials } from '../../lib/api.ts';
import { markJoinStep } from '../../lib/joinMarks.ts';
import { createNow } from '../team/createNow.ts';
import { FocusedHeading } from './FocusedHeading.tsx';
import { MeetingNotYet } from './MeetingNotYet.tsx';
import { PreJoin, type JoinChoices } from './PreJoin.tsx';

// The meeting room pulls in livekit-client: fetched while pre-join shows (see below), not on the first screen.
const MeetingRoom = lazy(() => import('../../meeting/MeetingRoom.tsx'));

/**
 * Fetches the meeting room's code ahead, for someone about to join a meeting that is open (the invite page
 * showing "Join this meeting", or pre-join): on a slow phone Join is then not followed by a wait for it. A
 * failure here is retried by the room's own import on Join, where it is shown.
 */
export function prefetchMeetingRoom(): void {
  void MeetingRoom.preload().catch(() => undefined);
}

/**
 * On pre-join, besides the code: starts the E2EE worker (see prepareMediaEncryption), so that Join is followed
 * only by what needs the join answer (the key and the LiveKit token, which are not asked for before Join).
 */
function prepareToJoin(): void {
  prefetchMeetingRoom();
  import('../../meeting/video/earlyRoom.ts').then(
    ({ prepareEarly }) => prepareEarly(),
    () => undefined,
  );
}

type Stage =
  | { kind: 'prejoin' }
  | { kind: 'joined'; access: JoinMeetingResponse; choices: JoinChoices }
  | { kind: 'left' };

/**
 * Joining one meeting: pre-join, then the meeting, then a calm "you have left" with a way back in. A network
 * member who comes before the meeting can be joined is told when it is instead (the server would refuse them).
 */
export function JoinFlow(props: { meetingId: string; credentials: Credentials; suggestedName?: string | undefined; onBack?: () => void }) {
  const [meeting] = createResource(() => props.meetingId, (id) => api.getMeeting(id, props.credentials));
  const [stage, setStage] = createSignal<Stage>({ kind: 'prejoin' });
  const [busy, setBusy] = createSignal(false);
  const [joinError, setJoinError] = createSignal<string>();
  const now = createNow();
  const notYet = () => {
    const loaded = meeting();
    const token = props.credentials.inviteToken;
    return loaded && token !== undefined && stage().kind === 'prejoin' && tooEarlyForMember(loaded, now()) ? { meeting: loaded, token } : undefined;
  };
  // Someone on pre-join is about to join: fetch the meeting room's code while they check their camera and
  // type their name. Not for a meeting that is not open yet (a phone on mobile data would fetch it for nothing).
  let preloaded = false;
  createEffect(() => {
    if (preloaded || !meeting() || notYet() || stage().kind !== 'prejoin') return;
    preloaded = true;
    prepareToJoin();
  });

  const joinMeeting = (choices: JoinChoices) =>
    api.joinMeeting(props.meetingId, { displayName: choices.displayName, timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone }, props.credentials);

  const join = async (choices: JoinChoices) => {
    setBusy(true);
    setJoinError(undefined);
    markJoinStep('join-requested');
    try {
      // The code is normally here already; if not, it loads while the server answers.
      const [access] = await Promise.all([
        joinMeeting(choices).then((answer) => {
          markJoinStep('join-answered');
          return answer;
        }),
        MeetingRoom.preload().then(() => markJoinStep('room-code-ready'), () => undefined),
      ]);
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
      <Match when={notYet()}>{(early) => <MeetingNotYet meeting={early().meeting} now={now()} inviteToken={early().token} onBack={props.onBack} />}</Match>
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

/** A member may join a meeting the team has opened, or one whose join window has opened (as the server checks). */
function tooEarlyForMember(loaded: GetMeetingResponse, now: Date): boolean {
  return loaded.meeting.status === 'scheduled' && now < memberJoinWindow(loaded.when.scheduledAt, loaded.when.durationMinutes).opensAt;
}

/**
 * Starts LiveKit's connection, and waits for its signalling socket to be opened before the meeting room is
 * drawn (see earlyRoom.ts): drawing it holds the page's thread, on a cheap phone for a few hundred ms, while the
 * socket's round trip can be on its way.
 */
async function startVideoEarly(access: JoinMeetingResponse, choices: JoinChoices): Promise<void> {
  try {
    const { connectEarly } = await import('../../meeting/video/earlyRoom.ts');
    await connectEarly(access.media, choices);
  } catch {
    // The meeting room connects by itself.
  }
}

function joinedStage(stage: Stage) {
  return stage.kind === 'joined' ? stage : undefined;
}
