import { createSignal, For, Show } from 'solid-js';
import type { NetworkDetail, NetworkMember } from '../../../shared/api/networks.ts';
import { api, messageOf } from '../../lib/api.ts';
import { formFieldText } from '../../lib/formFieldText.ts';
import { CopyLink } from '../../lib/CopyLink.tsx';
import { formatShort } from '../record/formatWhen.ts';

/** The people who matter to the person, each with their own invite link (create, copy, revoke). */
export function MembersSection(props: { detail: NetworkDetail; refresh: () => void }) {
  const [error, setError] = createSignal<string>();
  const add = async (event: SubmitEvent) => {
    event.preventDefault();
    const formElement = event.currentTarget as HTMLFormElement;
    const form = new FormData(formElement);
    try {
      await api.addMember(props.detail.network.id, {
        name: formFieldText(form, 'memberName'),
        relationship: formFieldText(form, 'relationship'),
        interpreter: form.get('interpreter') === 'on',
      });
      formElement.reset();
      setError(undefined);
      props.refresh();
    } catch (e) {
      setError(messageOf(e));
    }
  };
  return (
    <section class="card stack" aria-labelledby="members-heading">
      <h2 id="members-heading">Network members</h2>
      <ul class="plain-list">
        <For each={props.detail.members} fallback={<li>Nobody yet. Ask: who is important to you?</li>}>
          {(m) => <MemberRow member={m} detail={props.detail} refresh={props.refresh} />}
        </For>
      </ul>
      <form class="stack" onSubmit={(e) => void add(e)}>
        <label for="memberName">Name</label>
        <input id="memberName" name="memberName" type="text" required maxLength={100} />
        <label for="relationship">Relationship to the person</label>
        <input id="relationship" name="relationship" type="text" required maxLength={100} placeholder="mother, friend, social worker…" />
        <label class="check">
          <input type="checkbox" name="interpreter" /> Interpreter
        </label>
        <button type="submit">Add member</button>
        <Show when={error()}>{(message) => <p role="alert" class="error">{message()}</p>}</Show>
      </form>
    </section>
  );
}

function MemberRow(props: { member: NetworkMember; detail: NetworkDetail; refresh: () => void }) {
  const [link, setLink] = createSignal<string>();
  const [error, setError] = createSignal<string>();
  const liveInvites = () => props.detail.invites.filter((i) => i.memberId === props.member.id && !i.revokedAt && new Date(i.expiresAt) > new Date());
  const invite = async () => {
    try {
      setLink((await api.createInvite(props.detail.network.id, props.member.id)).url);
      props.refresh();
    } catch (e) {
      setError(messageOf(e));
    }
  };
  const showAgain = async (inviteId: string) => {
    try {
      setLink((await api.inviteLink(inviteId)).url);
      setError(undefined);
    } catch (e) {
      setError(messageOf(e));
    }
  };
  const markPerson = async (memberId: string | null) => {
    try {
      await api.markPerson(props.detail.network.id, { memberId });
      setError(undefined);
      props.refresh();
    } catch (e) {
      setError(messageOf(e));
    }
  };
  const revoke = async (inviteId: string) => {
    try {
      await api.revokeInvite(inviteId);
      setLink(undefined);
      props.refresh();
    } catch (e) {
      setError(messageOf(e));
    }
  };
  return (
    <li class="member">
      <strong>{props.member.name}</strong> · {props.member.relationship}
      {props.member.interpreter ? ' · interpreter' : ''}
      <Show when={props.member.isPerson}>
        {' · '}
        <span class="person-mark">the person this network is about</span>
      </Show>
      <p class="hint">
        {liveInvites().length
          ? `Personal link works until ${formatShort(liveInvites().at(-1)?.expiresAt ?? '')}.`
          : 'No working link: create one and send it to them.'}
      </p>
      <div class="row wrap">
        <Show
          when={liveInvites().at(-1)}
          fallback={
            <button type="button" onClick={() => void invite()}>
              Create invite link for {props.member.name}
            </button>
          }
        >
          {(latest) => (
            <button type="button" onClick={() => void showAgain(latest().id)}>
              Show link again for {props.member.name}
            </button>
          )}
        </Show>
        <For each={liveInvites()}>
          {(i) => (
            <button type="button" class="danger-outline" onClick={() => void revoke(i.id)}>
              Revoke link of {new Date(i.createdAt).toLocaleDateString()} for {props.member.name}
            </button>
          )}
        </For>
        <Show when={!props.member.interpreter}>
          <Show
            when={props.member.isPerson}
            fallback={
              <button type="button" onClick={() => void markPerson(props.member.id)}>
                Mark {props.member.name} as the person this network is about
              </button>
            }
          >
            <button type="button" onClick={() => void markPerson(null)}>
              Unmark {props.member.name} as the person this network is about
            </button>
          </Show>
        </Show>
        <Show when={liveInvites().length > 0}>
          <a class="link-button" href={`/api/networks/${props.detail.network.id}/members/${props.member.id}/calendar`} download="network-meetings.ics">
            Calendar file for {props.member.name}
          </a>
        </Show>
      </div>
      <Show when={link()}>
        {(url) => (
          <>
            <CopyLink url={url()} id={`invite-${props.member.id}`} label={`Invite link for ${props.member.name}`} />
            <p class="hint">Send this link to {props.member.name} yourself, by text message or email. If it may have reached someone else, revoke it and create a new one.</p>
          </>
        )}
      </Show>
      <Show when={error()}>{(message) => <p role="alert" class="error">{message()}</p>}</Show>
    </li>
  );
}
