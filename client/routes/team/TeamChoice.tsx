import { For } from 'solid-js';
import { ROLE_LABELS } from '../../../shared/api/roles.ts';
import type { MeetingTeamMember } from '../../../shared/api/meetings.ts';

/** The form field name of the team choice: one checkbox per team member, each with the user's id as value. */
export const TEAM_CHOICE_FIELD = 'teamUserIds';

/**
 * Who from the network's team comes to a meeting: a checkbox each, those in `chosen` ticked. The family
 * sees these names on the invite page and the waiting screen, so that they know whom to expect.
 */
export function TeamChoice(props: { idPrefix: string; team: readonly MeetingTeamMember[]; chosen: readonly string[] }) {
  return (
    <fieldset>
      <legend>Who from the team comes</legend>
      <For each={props.team}>
        {(member) => (
          <label class="check">
            <input type="checkbox" name={TEAM_CHOICE_FIELD} value={member.id} checked={props.chosen.includes(member.id)} id={`${props.idPrefix}-${member.id}`} /> {member.name} (
            {ROLE_LABELS[member.role]})
          </label>
        )}
      </For>
    </fieldset>
  );
}

/** The ticked team members of a submitted form. */
export function chosenTeam(form: FormData): string[] {
  return form.getAll(TEAM_CHOICE_FIELD).filter((value): value is string => typeof value === 'string');
}
