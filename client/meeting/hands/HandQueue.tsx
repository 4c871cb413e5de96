import { For, Show } from 'solid-js';
import { isTeamRole } from '../../../shared/api/roles.ts';
import { lowerHand, raiseHand } from '../../../shared/doc/hands.ts';
import { useMeeting } from '../meetingContext.ts';
import type { Hands } from './createHands.ts';
import { HandIcon } from '../video/controlIcons.tsx';
import { ControlButton } from '../video/MeetingControls.tsx';

/** The order of raised hands, shown to everyone above the meeting; the team can lower a hand once heard. */
export function HandQueue(props: { hands: Hands }) {
  const { meetingDoc, me } = useMeeting();
  return (
    <Show when={props.hands().length > 0}>
      <section class="hand-queue" aria-labelledby="hands-heading">
        <h2 id="hands-heading">Raised hands</h2>
        <ol aria-label="Raised hands, in order">
          <For each={props.hands()}>
            {(hand) => (
              <li class="hand">
                <span class="hand-name">{hand.who.id === me.id ? `${hand.who.name} (you)` : hand.who.name}</span>
                <Show when={isTeamRole(me.role) && hand.who.id !== me.id}>
                  <button type="button" class="quiet small" onClick={() => lowerHand(meetingDoc.doc, hand.who.id)}>
                    Lower {hand.who.name}’s hand
                  </button>
                </Show>
              </li>
            )}
          </For>
        </ol>
      </section>
    </Show>
  );
}

/** Raise or lower one's own hand: a control in the meeting's one row. */
export function HandButton(props: { hands: Hands }) {
  const { meetingDoc, me } = useMeeting();
  const raised = () => props.hands().some((hand) => hand.who.id === me.id);
  const label = () => (raised() ? 'Lower hand' : 'Raise hand');
  return (
    <ControlButton
      label={label()}
      short={label()}
      pressed={raised()}
      onClick={() => (raised() ? lowerHand(meetingDoc.doc, me.id) : raiseHand(meetingDoc.doc, me, new Date()))}
    >
      <HandIcon />
    </ControlButton>
  );
}
