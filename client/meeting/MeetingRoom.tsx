import { createEffect, createMemo, createSignal, on, onMount, Show, untrack } from 'solid-js';
import './meeting.css';
import type { JoinMeetingResponse } from '../../shared/api/meetings.ts';
import { isTeamRole } from '../../shared/api/roles.ts';
import { colorFor, presentParticipants } from '../../shared/doc/awareness.ts';
import type { Author } from '../../shared/doc/entries.ts';
import { claimAuthorship, createNoteAuthorship } from '../../shared/doc/noteAuthorship.ts';
import { recordParticipant } from '../../shared/doc/participants.ts';
import { FocusedHeading } from '../routes/join/FocusedHeading.tsx';
import type { JoinChoices } from '../routes/join/PreJoin.tsx';
import { MeetingAnnouncements } from './announcements/MeetingAnnouncements.tsx';
import { createAwarenessSnapshot } from './doc/createDocSnapshot.ts';
import { createSharedDoc } from './doc/createSharedDoc.ts';
import { SaveStatusLine } from './doc/SaveStatusLine.tsx';
import { SYNC_CLOSE_REASON } from '../../shared/protocol/sync.ts';
import { AccessEnded } from './end/AccessEnded.tsx';
import { api, type Credentials } from '../lib/api.ts';
import { markJoinStep } from '../lib/joinMarks.ts';
import { EndMeetingDialog } from './end/EndMeetingDialog.tsx';
import { MeetingEnded } from './end/MeetingEnded.tsx';
import { createReturnNotice, WelcomeBack } from './end/WelcomeBack.tsx';
import { combinedStatus } from './doc/saveTracker.ts';
import { createHands } from './hands/createHands.ts';
import { HandButton, HandQueue } from './hands/HandQueue.tsx';
import { MeetingContext, type MeetingContextValue } from './meetingContext.ts';
import { createPhase } from './reflecting/createPhase.ts';
import { LargeDeletionNotice } from './history/LargeDeletionNotice.tsx';
import { ReflectingBanner } from './reflecting/ReflectingBanner.tsx';
import { ReflectingButton } from './reflecting/ReflectingButton.tsx';
import { panelsMayLoad } from './space/afterVideoStarts.ts';
import { SharedSpace } from './space/SharedSpace.tsx';
import { createLiveKitSession } from './video/createLiveKitSession.ts';
import { createSpeakingTimeWriter } from './voices/createSpeakingTimeWriter.ts';
import { EncryptionNote } from './video/EncryptionNote.tsx';
import { MeetingControls } from './video/MeetingControls.tsx';
import type { MenuAction } from './video/MoreMenu.tsx';

/**
 * The meeting: everyone's video beside the shared space (notes, reflections, map, questions, voices, chat),
 * with the phase banner and the raised hands above and the controls underneath. Once a team member ends it
 * for everyone, every screen shows that it has ended, with the notes still readable.
 */
export default function MeetingRoom(props: {
  title: string;
  access: JoinMeetingResponse;
  choices: JoinChoices;
  onLeave: () => void;
  /** The meeting's id as open questions record it; defaults to the shared-space document's name. */
  meetingId?: string | undefined;
  /** How API calls prove who is asking (an invite token for a network member). */
  credentials?: Credentials | undefined;
  /** Joins again (the same join API call), for a fresh video token when the video connection was lost. */
  rejoin?: (() => Promise<JoinMeetingResponse>) | undefined;
}) {
  // The documents and the video session are made once per meeting, so what joining answered is read once,
  // here: a new join is a new meeting room, never a changed one.
  const { access, choices, meetingId, credentials, rejoin } = untrack(() => ({
    access: props.access,
    choices: props.choices,
    meetingId: props.meetingId ?? props.access.sync.docName,
    credentials: props.credentials ?? {},
    rejoin: props.rejoin,
  }));
  const me: Author = { id: access.participantId, name: access.displayName, role: access.role };
  // The documents connect at once: the save status is honest from the first moment, and measured on a cheap
  // phone, holding them back until the video started gained nothing within the noise.
  const meetingDoc = createSharedDoc(access.sync, { user: { name: me.name, color: colorFor(me.id) }, me });
  const networkDoc = createSharedDoc(access.networkSync);
  const saveStatus = createMemo(() => combinedStatus(meetingDoc.saveStatus(), networkDoc.saveStatus()));
  const media = access.media;
  const renewMedia = rejoin && (async () => (await rejoin()).media);
  // Video still starting on the server is waited for (the session asks again); any other absence is explained.
  const session = media.status === 'available' || (media.retrying && renewMedia) ? createLiveKitSession(media, choices, renewMedia, () => api.mediaKey(meetingId, credentials)) : undefined;
  if (session) createSpeakingTimeWriter(session.room.localParticipant, meetingDoc.doc, me);
  else panelsMayLoad();
  recordParticipant(meetingDoc.doc, me);
  const authorship = createNoteAuthorship(meetingDoc.doc);
  // Claimed once in step with the server, so that a returning person's earlier passages stay theirs.
  createEffect(
    on(
      () => meetingDoc.saveStatus().inStep,
      (inStep) => {
        if (!inStep) return;
        markJoinStep('notes-synced');
        claimAuthorship(authorship, meetingDoc.doc, me.id);
      },
    ),
  );
  onMount(() => markJoinStep('meeting-room-drawn'));

  const inSharedSpace = createAwarenessSnapshot(meetingDoc.awareness, (states) => presentParticipants(states.values()));
  // Present = in the shared space or on video (someone may have only one of the two working).
  const present = createMemo(() => {
    const byId = new Map<string, Author>(inSharedSpace().map((a) => [a.id, a]));
    for (const p of session?.participants ?? []) if (!byId.has(p.identity)) byId.set(p.identity, { id: p.identity, name: p.name, role: p.role });
    byId.set(me.id, me);
    return [...byId.values()].sort((a, b) => a.name.localeCompare(b.name));
  });
  const context: MeetingContextValue = {
    meetingDoc,
    networkDoc,
    authorship,
    me,
    present,
    team: access.team,
    when: access.when,
    about: access.about,
    mention: () => ({ meetingId, meetingTitle: props.title, at: new Date().toISOString() }),
    api: { meetingId, credentials },
  };
  const phase = createPhase(meetingDoc);
  const hands = createHands(meetingDoc);
  // Who is here is known once the video has let this person in, or the shared space is in step (without
  // video): until then "you are the first one here" could be untrue, and "Connecting to video…" says enough.
  const knowsWhoIsHere = () => (session ? session.state() !== 'connecting' : false) || meetingDoc.saveStatus().inStep;
  const waitingForTeam = () => knowsWhoIsHere() && !isTeamRole(me.role) && !present().some((p) => p.id !== me.id && isTeamRole(p.role));
  const returning = createReturnNotice(access.sync.docName);
  const [endedHere, setEndedHere] = createSignal(false);
  // Video tells of the end when the room is closed; the shared space tells it too, for meetings without video.
  const ended = () => endedHere() || (session?.ended() ?? false) || meetingDoc.ended();
  // Access that ended (a revoked or expired invite, a deleted network) ends the meeting for this person only.
  const accessLost = () => meetingDoc.accessLost() ?? networkDoc.accessLost() ?? (session?.removed() ? SYNC_CLOSE_REASON.accessRevoked : undefined);
  createEffect(on(accessLost, (lost) => lost && void session?.leave()));
  let askToEnd: (() => void) | undefined;
  const moreActions: MenuAction[] = isTeamRole(me.role) ? [{ label: 'End meeting for everyone', opensDialog: true, onSelect: () => askToEnd?.() }] : [];
  const [leaving, setLeaving] = createSignal(false);
  const leave = async () => {
    setLeaving(true);
    returning.remember();
    await session?.leave();
    await Promise.all([meetingDoc.forgetLocalCopyIfSaved(), networkDoc.forgetLocalCopyIfSaved()]);
    props.onLeave();
  };

  return (
    <MeetingContext.Provider value={context}>
      <Show when={!accessLost()} fallback={<AccessEnded reason={accessLost() ?? SYNC_CLOSE_REASON.accessRevoked} />}>
        <Show when={!ended()} fallback={<MeetingEnded title={props.title} />}>
          <main class="meeting" data-phase={phase.phase()}>
            <header class="meeting-header">
              <div class="meeting-title">
                <FocusedHeading>{props.title}</FocusedHeading>
                <SaveStatusLine status={saveStatus()} refusal={meetingDoc.refusal() ?? networkDoc.refusal()} />
                <Show when={session}>{(s) => <EncryptionNote session={s()} />}</Show>
              </div>
              <ReflectingButton phase={phase} />
            </header>
            <ReflectingBanner phase={phase} />
            <WelcomeBack notice={returning} />
            <LargeDeletionNotice />
            <HandQueue hands={hands} />
            <MeetingAnnouncements />
            <SharedSpace
              session={session}
              unavailableReason={media.status === 'unavailable' && !session ? media.reason : undefined}
              phase={phase}
              waitingForTeam={waitingForTeam()}
            />
            <MeetingControls session={session} onLeave={() => void leave()} more={moreActions}>
              <HandButton hands={hands} />
            </MeetingControls>
            <EndMeetingDialog meetingId={meetingId} onEnded={() => setEndedHere(true)} expose={(ask) => (askToEnd = ask)} />
            <Show when={leaving()}>
              <p class="visually-hidden" role="status">
                Leaving the meeting…
              </p>
            </Show>
          </main>
        </Show>
      </Show>
    </MeetingContext.Provider>
  );
}
