import { createSignal, Match, Switch } from 'solid-js';
import { isTeamRole } from '../../../shared/api/roles.ts';
import { useMeeting } from '../meetingContext.ts';
import type { Phase } from './createPhase.ts';

/**
 * A calm line at the top of every screen saying what is happening: while the team reflects, that the
 * network is welcome to listen and will be asked what they made of it; afterwards, an invitation to respond.
 */
export function ReflectingBanner(props: { phase: Phase }) {
  const { me } = useMeeting();
  const [hiddenTurn, setHiddenTurn] = createSignal<string>();
  const team = isTeamRole(me.role);
  return (
    // Not a live region: the meeting's announcements say when reflecting starts and ends, once.
    <div class="phase-banner-region">
      <Switch>
        <Match when={props.phase.phase() === 'reflecting'}>
          <div class="phase-banner reflecting" data-phase="reflecting">
            <p class="phase-title">The team is reflecting</p>
            <p>
              {team
                ? 'You are talking together about what you heard, in front of everyone. The network is listening and will be asked what they made of it.'
                : 'The practitioners are now talking together about what they heard. You are welcome to listen. You can still speak at any time. Afterwards you will be asked what you made of it.'}
            </p>
          </div>
        </Match>
        <Match when={props.phase.ended()?.id !== hiddenTurn() ? props.phase.ended() : undefined}>
          {(turn) => (
            <div class="phase-banner returned" data-phase="returned">
              <div class="phase-text">
                <p class="phase-title">Back to everyone</p>
                <p>
                  {team
                    ? 'Ask the network what they made of the reflections, and listen.'
                    : 'The team has finished reflecting. What did you make of what you heard? Anyone can speak first, and you can also write it under Reflections.'}
                </p>
              </div>
              <button type="button" class="quiet" onClick={() => setHiddenTurn(turn().id)}>
                Hide this message
              </button>
            </div>
          )}
        </Match>
      </Switch>
    </div>
  );
}
