import { createSignal, For, Show } from 'solid-js';
import type { Meeting } from '../../../shared/api/meetings.ts';
import type { MemberFields, NetworkDetail, NetworkMember } from '../../../shared/api/networks.ts';
import { TEAM_CHANGE_REASON_MAX } from '../../../shared/api/records.ts';
import { api, messageOf } from '../../lib/api.ts';
import { formFieldText } from '../../lib/formFieldText.ts';
import { formatShort } from '../record/formatWhen.ts';
import { InviteShare } from './InviteShare.tsx';
import { interpretingText, MemberFieldsForm } from './MemberFieldsForm.tsx';

/**
 * One network member on the team's page: who they are, their link (create and send it at once, show it
 * again, revoke it), whether they are the person the network is about, and editing or removing them.
 * `link` is the link just made or shown again (held by the section so a refresh does not lose it).
 */
export function MemberRow(props: {
  member: NetworkMember;
  detail: NetworkDetail;
  upcoming: readonly Meeting[];
  link: string | undefined;
  setLink: (url: string | undefined) => void;
  refresh: () => void;
}) {
  const [panel, setPanel] = createSignal<'none' | 'edit' | 'remove'>('none');
  const [error, setError] = createSignal<string>();
  const name = () => props.member.name;
  const networkId = () => props.detail.network.id;
  const liveInvites = () => props.detail.invites.filter((i) => i.memberId === props.member.id && !i.revokedAt && new Date(i.expiresAt) > new Date());
  const fail = (e: unknown) => setError(messageOf(e));
  const invite = async () => {
    try {
      props.setLink((await api.createInvite(networkId(), props.member.id)).url);
      setError(undefined);
      props.refresh();
    } catch (e) {
      fail(e);
    }
  };
  const showAgain = async (inviteId: string) => {
    try {
      props.setLink((await api.inviteLink(inviteId)).url);
      setError(undefined);
    } catch (e) {
      fail(e);
    }
  };
  const revoke = async (inviteId: string) => {
    try {
      await api.revokeInvite(inviteId);
      props.setLink(undefined);
      setError(undefined);
      props.refresh();
    } catch (e) {
      fail(e);
    }
  };
  const markPerson = async (memberId: string | null) => {
    try {
      await api.markPerson(networkId(), { memberId });
      setError(undefined);
      props.refresh();
    } catch (e) {
      fail(e);
    }
  };
  /** Saving an edit: throws on failure so the form stays open with what was typed. */
  const save = async (fields: MemberFields) => {
    try {
      await api.updateMember(networkId(), props.member.id, fields);
      setError(undefined);
      setPanel('none');
      props.refresh();
    } catch (e) {
      fail(e);
      throw e;
    }
  };
  const remove = async (event: SubmitEvent) => {
    event.preventDefault();
    const reason = formFieldText(new FormData(event.currentTarget as HTMLFormElement), 'reason');
    try {
      await api.removeMember(networkId(), props.member.id, reason);
      props.setLink(undefined);
      setError(undefined);
      props.refresh();
    } catch (e) {
      fail(e);
    }
  };
  const toggle = (which: 'edit' | 'remove') => setPanel(panel() === which ? 'none' : which);

  return (
    <li class="member stack">
      <div>
        <strong>{name()}</strong> · {props.member.relationship}
        <Show when={interpretingText(props.member)}>{(text) => <> · {text()}</>}</Show>
        <Show when={props.member.isPerson}>
          {' · '}
          <span class="person-mark">the person this network is about</span>
        </Show>
        <Show when={props.member.contact}>{(contact) => <p class="hint">Contact: {contact()}</p>}</Show>
        <p class="hint">
          {liveInvites().length ? `Personal link works until ${formatShort(liveInvites().at(-1)?.expiresAt ?? '')}.` : 'No working link: create one and send it to them.'}
        </p>
      </div>
      <div class="row wrap">
        <Show
          when={liveInvites().at(-1)}
          fallback={
            <button type="button" class="primary" onClick={() => void invite()}>
              Create invite link for {name()}
            </button>
          }
        >
          {(latest) => (
            <Show when={!props.link}>
              <button type="button" onClick={() => void showAgain(latest().id)}>
                Show link again for {name()}
              </button>
            </Show>
          )}
        </Show>
        <Show when={liveInvites().length > 0 && props.upcoming.length > 0 && !props.link}>
          <a class="link-button" href={`/api/networks/${networkId()}/members/${props.member.id}/calendar`} download="network-meetings.ics">
            Calendar file for {name()}
          </a>
        </Show>
      </div>
      <Show when={props.link}>
        {(url) => <InviteShare url={url()} member={props.member} networkId={networkId()} timeZone={props.detail.network.timeZone} upcoming={props.upcoming} />}
      </Show>
      <details class="member-more">
        <summary>More for {name()}: edit, revoke link, remove</summary>
        <div class="row wrap">
          <button type="button" aria-expanded={panel() === 'edit'} onClick={() => toggle('edit')}>
            Edit {name()}
          </button>
          <Show when={!props.member.interpreter}>
            <Show
              when={props.member.isPerson}
              fallback={
                <button type="button" onClick={() => void markPerson(props.member.id)}>
                  Mark {name()} as the person this network is about
                </button>
              }
            >
              <button type="button" onClick={() => void markPerson(null)}>
                Unmark {name()} as the person this network is about
              </button>
            </Show>
          </Show>
          <For each={liveInvites()}>
            {(i) => (
              <button type="button" class="danger-outline" onClick={() => void revoke(i.id)}>
                Revoke link of {new Date(i.createdAt).toLocaleDateString()} for {name()}
              </button>
            )}
          </For>
          <button type="button" class="danger-outline" aria-expanded={panel() === 'remove'} onClick={() => toggle('remove')}>
            Remove {name()} from the network
          </button>
        </div>
      </details>
      <Show when={panel() === 'edit'}>
        <div class="notice">
          <MemberFieldsForm
            prefix={`edit-${props.member.id}`}
            member={props.member}
            submitLabel={`Save changes to ${name()}`}
            onSave={save}
          >
            <button type="button" onClick={() => setPanel('none')}>
              Cancel
            </button>
          </MemberFieldsForm>
        </div>
      </Show>
      <Show when={panel() === 'remove'}>
        <form class="stack notice" onSubmit={(e) => void remove(e)}>
          <label for={`remove-reason-${props.member.id}`}>Why is {name()} leaving the network?</label>
          <input id={`remove-reason-${props.member.id}`} name="reason" type="text" required maxLength={TEAM_CHANGE_REASON_MAX} aria-describedby={`remove-hint-${props.member.id}`} />
          <p class="hint" id={`remove-hint-${props.member.id}`}>
            Their links stop working at once and they leave any meeting they are in. What they wrote stays in the notes and records, with their name. The reason is kept.
          </p>
          <div class="row wrap">
            <button type="submit" class="danger">
              Remove {name()}
            </button>
            <button type="button" onClick={() => setPanel('none')}>
              Cancel
            </button>
          </div>
        </form>
      </Show>
      <Show when={error()}>{(message) => <p role="alert" class="error">{message()}</p>}</Show>
    </li>
  );
}
