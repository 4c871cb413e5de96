import { createSignal, For, Show } from 'solid-js';
import { createStore } from 'solid-js/store';
import type { Meeting } from '../../../shared/api/meetings.ts';
import type { MemberFields, NetworkDetail } from '../../../shared/api/networks.ts';
import { api, messageOf } from '../../lib/api.ts';
import { formatShort } from '../record/formatWhen.ts';
import { MemberFieldsForm } from './MemberFieldsForm.tsx';
import { MemberRow } from './MemberRow.tsx';

/** How long after its planned start a meeting not yet ended still counts as "next" (it may start late). */
const STILL_NEXT_MS = 60 * 60 * 1000;

/**
 * The people who matter to the person, each with their own invite link (create and send, revoke), editable,
 * and removable with the reason kept (removed members are listed below, with it).
 */
export function MembersSection(props: { detail: NetworkDetail; refresh: () => void }) {
  const [error, setError] = createSignal<string>();
  // Links just made, by member id. Kept here, not in the rows: every refresh brings new member objects, so
  // the rows are made again, and a link shown only once must survive that.
  const [links, setLinks] = createStore<Record<string, string | undefined>>({});
  /** Throws on failure so the form keeps what was typed. */
  const add = async (fields: MemberFields) => {
    try {
      await api.addMember(props.detail.network.id, fields);
      setError(undefined);
      props.refresh();
    } catch (e) {
      setError(messageOf(e));
      throw e;
    }
  };
  const current = () => props.detail.members.filter((m) => !m.removedAt);
  const removed = () => props.detail.members.filter((m) => m.removedAt);
  const upcoming = (): Meeting[] =>
    props.detail.meetings
      .filter((m) => m.status === 'live' || (m.status === 'scheduled' && new Date(m.scheduledAt).getTime() > Date.now() - STILL_NEXT_MS))
      .sort((a, b) => a.scheduledAt.localeCompare(b.scheduledAt));
  return (
    <section class="card stack" aria-labelledby="members-heading">
      <h2 id="members-heading">Network members</h2>
      <ul class="plain-list">
        <For each={current()} fallback={<li>Nobody yet. Ask: who is important to you?</li>}>
          {(m) => (
            <MemberRow
              member={m}
              detail={props.detail}
              upcoming={upcoming()}
              link={links[m.id]}
              setLink={(url) => setLinks(m.id, url)}
              refresh={props.refresh}
            />
          )}
        </For>
      </ul>
      <Show when={removed().length > 0}>
        <h3>Removed from the network</h3>
        <ul class="plain-list team-past">
          <For each={removed()}>
            {(m) => (
              <li>
                {m.name} · {m.relationship}, removed {formatShort(m.removedAt ?? '')}. Reason: {m.removedReason}
              </li>
            )}
          </For>
        </ul>
      </Show>
      <h3>Add someone</h3>
      <MemberFieldsForm
        prefix="new-member"
        submitLabel="Add member"
        onSave={add}
      />
      <Show when={error()}>{(message) => <p role="alert" class="error">{message()}</p>}</Show>
    </section>
  );
}
