import { createSignal, For, Show } from 'solid-js';
import type { TeamHistoryEntry } from '../../../shared/api/records.ts';
import { TEAM_CHANGE_REASON_MAX } from '../../../shared/api/records.ts';
import { api, messageOf } from '../../lib/api.ts';
import { formFieldText } from '../../lib/formFieldText.ts';
import { formatShort } from '../record/formatWhen.ts';

const roleLabel = (role: string) => (role === 'peer_worker' ? 'peer worker' : 'practitioner');

/** The team: the same people throughout. Someone leaving is kept on record, with the reason. */
export function TeamSection(props: { networkId: string; history: TeamHistoryEntry[]; refresh: () => void }) {
  const [error, setError] = createSignal<string>();
  const current = () => props.history.filter((t) => !t.unassignedAt);
  const past = () => props.history.filter((t) => t.unassignedAt);
  const assign = async (event: SubmitEvent) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    try {
      await api.assignTeam(props.networkId, formFieldText(new FormData(form), 'teamEmail'));
      form.reset();
      setError(undefined);
      props.refresh();
    } catch (e) {
      setError(messageOf(e));
    }
  };
  return (
    <section class="card stack" aria-labelledby="team-heading">
      <h2 id="team-heading">Team</h2>
      <p class="hint">The same people throughout. If someone has to leave, say why: it stays on record.</p>
      <ul class="plain-list">
        <For each={current()}>{(t) => <TeamMemberRow entry={t} networkId={props.networkId} refresh={props.refresh} />}</For>
      </ul>
      <Show when={past().length > 0}>
        <h3>Left the team</h3>
        <ul class="plain-list team-past">
          <For each={past()}>
            {(t) => (
              <li>
                {t.user.name} ({roleLabel(t.user.role)}), {formatShort(t.assignedAt)} to {formatShort(t.unassignedAt ?? '')}. Reason: {t.reason}
              </li>
            )}
          </For>
        </ul>
      </Show>
      <form class="stack" onSubmit={(e) => void assign(e)}>
        <label for="teamEmail">Add a team member by email</label>
        <input id="teamEmail" name="teamEmail" type="email" required />
        <button type="submit">Add to team</button>
        <Show when={error()}>{(message) => <p role="alert" class="error">{message()}</p>}</Show>
      </form>
    </section>
  );
}

function TeamMemberRow(props: { entry: TeamHistoryEntry; networkId: string; refresh: () => void }) {
  const [open, setOpen] = createSignal(false);
  const [error, setError] = createSignal<string>();
  const reasonId = () => `reason-${props.entry.user.id}`;
  const remove = async (event: SubmitEvent) => {
    event.preventDefault();
    const reason = formFieldText(new FormData(event.currentTarget as HTMLFormElement), 'reason');
    try {
      await api.unassign(props.networkId, props.entry.user.id, reason);
      setError(undefined);
      props.refresh();
    } catch (e) {
      setError(messageOf(e));
    }
  };
  return (
    <li class="member">
      {props.entry.user.name} · {roleLabel(props.entry.user.role)} · since {formatShort(props.entry.assignedAt)}
      <div class="row wrap">
        <button type="button" class="danger-outline" aria-expanded={open()} onClick={() => setOpen(!open())}>
          Take {props.entry.user.name} off the team
        </button>
      </div>
      <Show when={open()}>
        <form class="stack" onSubmit={(e) => void remove(e)}>
          <label for={reasonId()}>Why is {props.entry.user.name} leaving the team?</label>
          <input id={reasonId()} name="reason" type="text" required maxLength={TEAM_CHANGE_REASON_MAX} />
          <button type="submit" class="danger">
            Take off the team
          </button>
        </form>
      </Show>
      <Show when={error()}>{(message) => <p role="alert" class="error">{message()}</p>}</Show>
    </li>
  );
}
