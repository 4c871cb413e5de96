import { Show } from 'solid-js';
import { isTeamRole } from '../../../shared/api/roles.ts';
import { returnToNetwork, startReflecting } from '../../../shared/doc/reflecting.ts';
import { useMeeting } from '../meetingContext.ts';
import type { Phase } from './createPhase.ts';

/** For team members only: start the reflecting conversation, or return to the network. Switches every screen. */
export function ReflectingButton(props: { phase: Phase }) {
  const { meetingDoc, me } = useMeeting();
  return (
    <Show when={isTeamRole(me.role)}>
      <Show
        when={props.phase.phase() === 'reflecting'}
        fallback={
          <button type="button" class="primary" onClick={() => startReflecting(meetingDoc.doc, me, new Date())}>
            Start reflecting
          </button>
        }
      >
        <button type="button" class="primary" onClick={() => returnToNetwork(meetingDoc.doc, me, new Date())}>
          Return to the network
        </button>
      </Show>
    </Show>
  );
}
