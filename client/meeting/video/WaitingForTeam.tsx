import { Show } from 'solid-js';
import { meetingAboutText } from '../../../shared/api/meetingAbout.ts';
import { waitingForWhom } from '../../../shared/api/waitingForWhom.ts';
import { teamNamesSeen } from '../../../shared/doc/participants.ts';
import { getParticipants } from '../../../shared/doc/schema.ts';
import { clockTime, meetingDayAndTime, networkZoneNote } from '../../lib/meetingWhen.ts';
import { teamInWords } from '../../lib/teamWords.ts';
import { createNow } from '../../routes/team/createNow.ts';
import { createDocSnapshot } from '../doc/createDocSnapshot.ts';
import { useMeeting } from '../meetingContext.ts';

/**
 * For network members, until a team member is here: when the meeting is (in their own time), who from the
 * team will come (those chosen for this meeting), and that the shared space already works. Members reach
 * this only near the meeting's time (see MeetingNotYet), so "they will join at 10:00" is true.
 */
export function WaitingForTeam(props: { othersHere: number }) {
  const { meetingDoc, team, about, when } = useMeeting();
  const now = createNow();
  // The team coming by name; failing that (an empty team), whoever of the team was here before.
  const seen = createDocSnapshot([getParticipants(meetingDoc.doc)], () => teamNamesSeen(meetingDoc.doc));
  const whom = () => waitingForWhom(team.length > 0 ? team.map((t) => t.name) : seen());
  // With what each does, so that a family knows who is who: "Robin Hale (practitioner) and Ana Berg (peer worker)".
  const coming = () => (team.length > 0 ? teamInWords(team) : whom() === 'the team' ? 'The team' : whom());
  const started = () => now() >= new Date(when.scheduledAt);
  const zoneNote = () => networkZoneNote(when.scheduledAt, when.timeZone);
  return (
    <section class="waiting card" aria-labelledby="waiting-heading">
      <h3 id="waiting-heading">Waiting for {whom()}</h3>
      <p class="meeting-about">
        {meetingAboutText(about)}, {meetingDayAndTime(when.scheduledAt, now())}.{zoneNote() ? ` ${zoneNote() ?? ''}` : ''}
      </p>
      <p role="status">
        <Show when={started()} fallback={`${coming()} will join by ${clockTime(when.scheduledAt)}. The meeting starts when they are here.`}>
          The meeting was due to start at {clockTime(when.scheduledAt)}. {coming()} {team.length === 1 || whom() === 'the team' ? 'has' : 'have'} not joined yet; the meeting starts when they
          are here.
        </Show>
      </p>
      <p>
        <Show when={props.othersHere > 0} fallback="You are the first one here. ">
          Others from the network are already here.{' '}
        </Show>
        You can already read and write in the shared notes, the map and the open questions while you wait.
      </p>
    </section>
  );
}
