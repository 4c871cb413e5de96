import { createSignal, For, Show } from 'solid-js';
import { A } from '@solidjs/router';
import type { MeetingTeamMember } from '../../../shared/api/meetings.ts';
import type { ScheduledMeeting } from '../../../shared/api/records.ts';
import { waitingForWhom } from '../../../shared/api/waitingForWhom.ts';
import { api, messageOf } from '../../lib/api.ts';
import { formFieldText } from '../../lib/formFieldText.ts';
import { formatShort, toLocalInput } from '../record/formatWhen.ts';
import { ScheduleForm } from './ScheduleForm.tsx';
import { chosenTeam, TeamChoice } from './TeamChoice.tsx';

/**
 * The network's meetings: those ahead (join, move, who from the team comes), those held (their record,
 * exports), and planning more. `team` is the network's current team, to choose from.
 */
export function MeetingsSection(props: { networkId: string; meetings: ScheduledMeeting[]; team: readonly MeetingTeamMember[]; refresh: () => void }) {
  const upcoming = () => props.meetings.filter((m) => m.status !== 'ended');
  const past = () => props.meetings.filter((m) => m.status === 'ended').reverse();
  return (
    <section class="card stack" aria-labelledby="meetings-heading">
      <h2 id="meetings-heading">Meetings</h2>
      <h3>Coming up</h3>
      <Show when={upcoming().length > 0} fallback={<p class="hint">No meeting planned.</p>}>
        <ul class="meeting-list">
          <For each={upcoming()}>{(m) => <UpcomingMeeting meeting={m} team={props.team} refresh={props.refresh} />}</For>
        </ul>
      </Show>
      <h3>Held</h3>
      <Show when={past().length > 0} fallback={<p class="hint">No meeting has been held yet.</p>}>
        <ul class="meeting-list">
          <For each={past()}>
            {(m) => (
              <li>
                <span class="meeting-when">{formatShort(m.scheduledAt)}</span>
                <div class="row wrap">
                  <A href={`/networks/${props.networkId}/meetings/${m.id}`}>Record of {formatShort(m.scheduledAt)}</A>
                </div>
              </li>
            )}
          </For>
        </ul>
      </Show>
      <ScheduleForm networkId={props.networkId} team={props.team} onScheduled={props.refresh} />
    </section>
  );
}

function UpcomingMeeting(props: { meeting: ScheduledMeeting; team: readonly MeetingTeamMember[]; refresh: () => void }) {
  const [moving, setMoving] = createSignal(false);
  const [choosing, setChoosing] = createSignal(false);
  const [error, setError] = createSignal<string>();
  const move = async (event: SubmitEvent) => {
    event.preventDefault();
    const at = formFieldText(new FormData(event.currentTarget as HTMLFormElement), 'movedTo');
    try {
      await api.reschedule(props.meeting.id, new Date(at).toISOString());
      setMoving(false);
      setError(undefined);
      props.refresh();
    } catch (e) {
      setError(messageOf(e));
    }
  };
  const saveTeam = async (event: SubmitEvent) => {
    event.preventDefault();
    const userIds = chosenTeam(new FormData(event.currentTarget as HTMLFormElement));
    if (userIds.length === 0) {
      setError('Please choose at least one team member who comes.');
      return;
    }
    try {
      await api.setMeetingTeam(props.meeting.id, { userIds });
      setChoosing(false);
      setError(undefined);
      props.refresh();
    } catch (e) {
      setError(messageOf(e));
    }
  };
  const when = () => formatShort(props.meeting.scheduledAt);
  const inputId = () => `move-${props.meeting.id}`;
  return (
    <li>
      <span class="meeting-when">
        {when()}
        {props.meeting.status === 'live' ? ' · happening now' : ''}
        {props.meeting.sequence > 0 ? ' · moved' : ''}
      </span>
      <Show when={(props.meeting.team ?? []).length > 0}>
        <span class="hint">With {waitingForWhom((props.meeting.team ?? []).map((t) => t.name))}</span>
      </Show>
      <div class="row wrap">
        <A href={`/meetings/${props.meeting.id}`} class="link-button primary">
          Join<span class="visually-hidden"> meeting of {when()}</span>
        </A>
        <Show when={props.meeting.status === 'scheduled'}>
          <button type="button" aria-expanded={moving()} onClick={() => setMoving(!moving())}>
            Move<span class="visually-hidden"> meeting of {when()}</span>
          </button>
        </Show>
        <Show when={props.team.length > 1}>
          <button type="button" aria-expanded={choosing()} onClick={() => setChoosing(!choosing())}>
            Who comes<span class="visually-hidden"> to the meeting of {when()}</span>
          </button>
        </Show>
      </div>
      <Show when={choosing()}>
        <form class="stack" onSubmit={(e) => void saveTeam(e)}>
          <TeamChoice idPrefix={`team-${props.meeting.id}`} team={props.team} chosen={(props.meeting.team ?? []).map((t) => t.id)} />
          <p class="hint">The network sees these names on their invite page and while they wait for you.</p>
          <button type="submit">Save who comes</button>
        </form>
      </Show>
      <Show when={moving()}>
        <form class="inline-form" onSubmit={(e) => void move(e)}>
          <div class="field">
            <label for={inputId()}>New time</label>
            <input id={inputId()} name="movedTo" type="datetime-local" required value={toLocalInput(new Date(props.meeting.scheduledAt))} />
          </div>
          <button type="submit">Move</button>
        </form>
        <p class="hint">Everyone's calendar file is updated when they download it again.</p>
      </Show>
      <Show when={error()}>{(message) => <p role="alert" class="error">{message()}</p>}</Show>
    </li>
  );
}
