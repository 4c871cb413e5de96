import { Show } from 'solid-js';
import type { Meeting } from '../../../shared/api/meetings.ts';
import type { NetworkMember } from '../../../shared/api/networks.ts';
import { CopyLink } from '../../lib/CopyLink.tsx';
import { formatDateTimeIn } from '../record/formatWhen.ts';
import { inviteMessage, mailtoLink, smsLink } from './inviteMessage.ts';

/**
 * A member's personal link, ready to send: copy it, or open a text message or an email already written
 * (the team's own phone or mail program sends it: Polyphony needs no mail server), and the calendar file of
 * the meetings ahead when there are any.
 */
export function InviteShare(props: { url: string; member: NetworkMember; networkId: string; timeZone: string; upcoming: readonly Meeting[] }) {
  const next = () => props.upcoming[0];
  const message = () => inviteMessage({ name: props.member.name, url: props.url, nextMeeting: next() ? formatDateTimeIn(next()?.scheduledAt ?? '', props.timeZone) : undefined });
  return (
    <div class="stack invite-share notice">
      <CopyLink url={props.url} id={`invite-${props.member.id}`} label={`Invite link for ${props.member.name}`} focus />
      <p class="hint">Send it to {props.member.name} yourself. If it may have reached someone else, revoke it and create a new one.</p>
      <div class="row wrap">
        <a class="link-button" href={smsLink(props.member.contact, message())}>
          Text message to {props.member.name}
        </a>
        <a class="link-button" href={mailtoLink(props.member.contact, message())}>
          Email to {props.member.name}
        </a>
        <Show when={next()}>
          <a class="link-button" href={`/api/networks/${props.networkId}/members/${props.member.id}/calendar`} download="network-meetings.ics">
            Calendar file for {props.member.name}
          </a>
        </Show>
      </div>
      <Show
        when={next()}
        fallback={<p class="hint">No meeting is planned yet: once one is, send {props.member.name} the calendar file too.</p>}
      >
        <p class="hint">The message and the calendar file give the next meeting{props.upcoming.length > 1 ? 's' : ''} and this link.</p>
      </Show>
    </div>
  );
}
