import { createSignal, Show } from 'solid-js';
import { SERIES_MAX_MEETINGS } from '../../../shared/api/records.ts';
import { api, messageOf } from '../../lib/api.ts';
import { formFieldText } from '../../lib/formFieldText.ts';
import type { MeetingTeamMember } from '../../../shared/api/meetings.ts';
import { toLocalInput } from '../record/formatWhen.ts';
import { chosenTeam, TeamChoice } from './TeamChoice.tsx';

/** Plans one meeting, or one every day for a number of days (as in a crisis), at the same time of day. */
export function ScheduleForm(props: { networkId: string; team: readonly MeetingTeamMember[]; onScheduled: () => void }) {
  const [error, setError] = createSignal<string>();
  const [done, setDone] = createSignal<string>();
  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    const at = formFieldText(form, 'startsAt');
    const count = Number(form.get('count') ?? 1);
    const teamUserIds = chosenTeam(form);
    if (props.team.length > 0 && teamUserIds.length === 0) {
      setDone(undefined);
      setError('Please choose at least one team member who comes.');
      return;
    }
    try {
      const { meetings } = await api.schedule(props.networkId, {
        startsAt: new Date(at || Date.now()).toISOString(),
        count,
        durationMinutes: Number(form.get('duration') ?? 60),
        timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
        ...(teamUserIds.length > 0 ? { teamUserIds } : {}),
      });
      setError(undefined);
      setDone(meetings.length === 1 ? 'The meeting is planned.' : `${meetings.length} meetings are planned, one each day.`);
      props.onScheduled();
    } catch (e) {
      setDone(undefined);
      setError(messageOf(e));
    }
  };
  return (
    <form class="stack" onSubmit={(e) => void submit(e)} aria-labelledby="schedule-heading">
      <h3 id="schedule-heading">Plan a meeting</h3>
      <label for="startsAt">First meeting on</label>
      <input id="startsAt" name="startsAt" type="datetime-local" required value={toLocalInput(nextHour())} />
      <label for="count">Every day for how many days</label>
      <input id="count" name="count" type="number" min="1" max={SERIES_MAX_MEETINGS} value="1" required aria-describedby="count-hint" />
      <p class="hint" id="count-hint">
        1 plans a single meeting. In a crisis, meet daily: for example 10 for the next ten days.
      </p>
      <label for="duration">Length</label>
      <select id="duration" name="duration">
        <option value="45">45 minutes</option>
        <option value="60" selected>
          1 hour
        </option>
        <option value="90">1 hour 30 minutes</option>
        <option value="120">2 hours</option>
      </select>
      <Show when={props.team.length > 0}>
        <TeamChoice idPrefix="plan-team" team={props.team} chosen={props.team.map((t) => t.id)} />
      </Show>
      <button type="submit" class="primary">
        Plan
      </button>
      <p role="status" class="status">
        {done() ?? ''}
      </p>
      <Show when={error()}>{(message) => <p role="alert" class="error">{message()}</p>}</Show>
    </form>
  );
}

function nextHour(): Date {
  const date = new Date(Date.now() + 60 * 60 * 1000);
  date.setMinutes(0, 0, 0);
  return date;
}
