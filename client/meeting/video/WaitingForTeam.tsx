import { Show } from 'solid-js';
import { meetingAboutText } from '../../../shared/api/meetingAbout.ts';
import { teamNamesSeen, waitingForWhom } from '../../../shared/doc/participants.ts';
import { getParticipants } from '../../../shared/doc/schema.ts';
import { createDocSnapshot } from '../doc/createDocSnapshot.ts';
import { useMeeting } from '../meetingContext.ts';

/**
 * For network members, until a team member is here: a calm word about whom they are waiting for (the
 * team by name) and that the shared space already works.
 */
export function WaitingForTeam(props: { othersHere: number }) {
  const { meetingDoc, team, about } = useMeeting();
  // The assigned team by name; failing that (an empty team), whoever of the team was here before.
  const seen = createDocSnapshot([getParticipants(meetingDoc.doc)], () => teamNamesSeen(meetingDoc.doc));
  const teamNames = () => (team.length > 0 ? team.map((t) => t.name) : seen());
  const whom = () => waitingForWhom(teamNames());
  return (
    <section class="waiting card" aria-labelledby="waiting-heading">
      <h3 id="waiting-heading">Waiting for {whom()}</h3>
      <p class="meeting-about">{meetingAboutText(about)}.</p>
      <p role="status">
        {whom() === 'the team' ? 'The team' : whom()} will join soon. The meeting starts when they are here.
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
