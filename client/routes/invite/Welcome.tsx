import { createEffect, For, Show } from 'solid-js';
import { memberJoinWindow } from '../../../shared/api/joinWindow.ts';
import type { InviteLanding } from '../../../shared/api/networks.ts';
import type { MemberOverview, ScheduledMeeting } from '../../../shared/api/records.ts';
import { dateAndTime, meetingDayAndTime, networkZoneNote, ownTimeZone } from '../../lib/meetingWhen.ts';
import { teamInWords } from '../../lib/teamWords.ts';
import { prefetchMeetingRoom } from '../join/JoinFlow.tsx';
import { CalendarButton } from './CalendarButton.tsx';
import '../record/record.css';
import './welcome.css';

/** How many meetings ahead, and how many records, show before "Show all meetings". */
const FIRST_SHOWN = 3;

/**
 * What a member sees first: the next few meetings (soonest first; only one that can be joined now has a
 * Join button), then the records of the latest meetings held; everything else behind "Show all meetings".
 */
export function Welcome(props: {
  landing: InviteLanding;
  overview: MemberOverview;
  inviteToken: string;
  onJoin: (meetingId: string) => void;
  onRead: (meetingId: string) => void;
}) {
  const now = new Date();
  const about = () => ({ name: props.landing.network.personName, isYou: props.landing.member.isPerson });
  const next = () => props.overview.upcoming.slice(0, FIRST_SHOWN);
  const latestRecords = () => props.overview.past.slice(0, FIRST_SHOWN);
  const laterMeetings = () => props.overview.upcoming.slice(FIRST_SHOWN);
  const olderRecords = () => props.overview.past.slice(FIRST_SHOWN);
  // Said once, for all the times below, and only when the team's clock reads another time than the member's.
  const zoneNote = () => {
    const first = next()[0];
    const zone = props.overview.timeZone;
    if (!first || zone === undefined || networkZoneNote(first.scheduledAt, zone) === undefined) return undefined;
    return `Times are in your time zone (${ownTimeZone().replaceAll('_', ' ')}). The team is in ${zone.split('/').pop()?.replaceAll('_', ' ') ?? zone} time.`;
  };
  const hiddenCount = () => laterMeetings().length + olderRecords().length + props.overview.notHeld.length;
  const upcomingItem = (m: ScheduledMeeting) => <UpcomingMeeting meeting={m} now={now} onJoin={props.onJoin} />;
  const recordItem = (m: ScheduledMeeting) => <HeldMeeting meeting={m} now={now} onRead={props.onRead} />;
  return (
    <main class="page narrow stack welcome">
      <h1>Hello, {props.landing.member.name}</h1>
      <p class="lead">{about().isYou ? 'You are invited to your network meetings.' : `You are invited to the network meetings of ${about().name}.`}</p>
      <section class="card stack" aria-labelledby="upcoming-heading">
        <h2 id="upcoming-heading">{props.overview.upcoming.length === 1 ? 'Next meeting' : 'Next meetings'}</h2>
        <Show when={next().length > 0} fallback={<p>There is no meeting planned right now. The team will let you know.</p>}>
          <Show when={zoneNote()}>{(note) => <p class="hint">{note()}</p>}</Show>
          <ul class="meeting-list">
            <For each={next()}>{upcomingItem}</For>
          </ul>
          <CalendarButton inviteToken={props.inviteToken} />
        </Show>
      </section>
      <section class="card stack" aria-labelledby="past-heading">
        <h2 id="past-heading">Records of meetings held</h2>
        <Show when={latestRecords().length > 0} fallback={<p>No meeting has been held yet.</p>}>
          <p class="hint">Everything written in each meeting: the same record the team keeps.</p>
          <ul class="meeting-list">
            <For each={latestRecords()}>{recordItem}</For>
          </ul>
        </Show>
      </section>
      <Show when={hiddenCount() > 0}>
        <details class="card all-meetings">
          <summary>Show all meetings ({hiddenCount()} more)</summary>
          <div class="stack">
            <Show when={laterMeetings().length > 0}>
              <h2>Later meetings</h2>
              <ul class="meeting-list">
                <For each={laterMeetings()}>{upcomingItem}</For>
              </ul>
            </Show>
            <Show when={olderRecords().length > 0}>
              <h2>Earlier records</h2>
              <ul class="meeting-list">
                <For each={olderRecords()}>{recordItem}</For>
              </ul>
            </Show>
            <Show when={props.overview.notHeld.length > 0}>
              <h2>Planned but not held</h2>
              <ul class="meeting-list">
                <For each={props.overview.notHeld}>
                  {(m) => (
                    <li>
                      <span class="meeting-when">{dateAndTime(m.scheduledAt, now)}</span>
                      <span class="hint">The team did not open this meeting. Nothing was written in it.</span>
                    </li>
                  )}
                </For>
              </ul>
            </Show>
          </div>
        </details>
      </Show>
      <p class="hint">This link is personal to you: please do not share it. Everything written in the meetings can be read by everyone in the network.</p>
    </main>
  );
}

/** One meeting ahead: when, who comes, and Join only once it can be joined (else its details: when it opens, a calendar file). */
function UpcomingMeeting(props: { meeting: ScheduledMeeting; now: Date; onJoin: (meetingId: string) => void }) {
  const m = () => props.meeting;
  const opensAt = () => memberJoinWindow(m().scheduledAt, m().durationMinutes).opensAt;
  const joinable = () => m().status === 'live' || props.now >= opensAt();
  // A meeting that can be joined now is most likely joined next: its room's code starts loading here.
  createEffect(() => joinable() && prefetchMeetingRoom());
  const when = () => capitalised(meetingDayAndTime(m().scheduledAt, props.now).replace(/^on /, ''));
  return (
    <li class="stack">
      <span class="meeting-when">
        {when()}
        {m().status === 'live' ? ' · happening now' : ''}
      </span>
      <Show when={(m().team ?? []).length > 0}>
        <span class="hint">With {teamInWords(m().team ?? [])}</span>
      </Show>
      <div class="row wrap">
        <Show
          when={joinable()}
          fallback={
            <button type="button" onClick={() => props.onJoin(m().id)}>
              Details<span class="visually-hidden"> of the meeting {when()}</span>
            </button>
          }
        >
          <button type="button" class="primary" onClick={() => props.onJoin(m().id)}>
            Join this meeting
          </button>
        </Show>
      </div>
    </li>
  );
}

/** One meeting held, with its record. */
function HeldMeeting(props: { meeting: ScheduledMeeting; now: Date; onRead: (meetingId: string) => void }) {
  const when = () => dateAndTime(props.meeting.scheduledAt, props.now);
  return (
    <li class="row wrap held-meeting">
      <span class="meeting-when">{when()}</span>
      <button type="button" onClick={() => props.onRead(props.meeting.id)}>
        Read the record of this meeting<span class="visually-hidden"> of {when()}</span>
      </button>
    </li>
  );
}

function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
