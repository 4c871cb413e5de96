import { createSignal, For, Show } from 'solid-js';
import { meetingAboutText } from '../../../shared/api/meetingAbout.ts';
import type { InviteLanding } from '../../../shared/api/networks.ts';
import type { MemberOverview } from '../../../shared/api/records.ts';
import { api, messageOf } from '../../lib/api.ts';
import { formatDateTime } from '../record/formatWhen.ts';
import '../record/record.css';

/** What a member sees first: the meetings ahead, and the meetings held, each with its record. */
export function Welcome(props: {
  landing: InviteLanding;
  overview: MemberOverview;
  inviteToken: string;
  onJoin: (meetingId: string) => void;
  onRead: (meetingId: string) => void;
}) {
  const about = () => ({ name: props.landing.network.personName, isYou: props.landing.member.isPerson });
  return (
    <main class="page narrow stack">
      <h1>Hello, {props.landing.member.name}</h1>
      <p class="lead">{about().isYou ? 'You are invited to your network meetings.' : `You are invited to the network meetings of ${about().name}.`}</p>
      <section class="card stack" aria-labelledby="upcoming-heading">
        <h2 id="upcoming-heading">Meetings coming up</h2>
        <Show when={props.overview.upcoming.length > 0} fallback={<p>There is no meeting planned right now. The team will let you know.</p>}>
          <ul class="meeting-list">
            <For each={props.overview.upcoming}>
              {(m) => (
                <li class="stack">
                  <span class="meeting-when">{formatDateTime(m.scheduledAt)}</span>
                  <span class="hint">
                    {m.title}
                    {m.status === 'live' ? ': happening now' : ''}
                  </span>
                  <span>{meetingAboutText(about())}.</span>
                  <div class="row wrap">
                    <button type="button" class="primary" onClick={() => props.onJoin(m.id)}>
                      Join this meeting
                    </button>
                  </div>
                </li>
              )}
            </For>
          </ul>
          <CalendarButton inviteToken={props.inviteToken} />
        </Show>
      </section>
      <section class="card stack" aria-labelledby="past-heading">
        <h2 id="past-heading">Meetings held</h2>
        <p class="hint">You can read everything that was written in each meeting: the same record the team keeps.</p>
        <Show when={props.overview.past.length > 0} fallback={<p>No meeting has been held yet.</p>}>
          <ul class="meeting-list">
            <For each={props.overview.past}>
              {(m) => (
                <li class="stack">
                  <span class="meeting-when">{formatDateTime(m.scheduledAt)}</span>
                  <div class="row wrap">
                    <button type="button" onClick={() => props.onRead(m.id)}>
                      Read the record of this meeting
                    </button>
                  </div>
                </li>
              )}
            </For>
          </ul>
        </Show>
      </section>
      <p class="hint">This link is personal to you: please do not share it. Everything written in the meetings can be read by everyone in the network.</p>
    </main>
  );
}

/** Saves an .ics file with every meeting ahead, each carrying this personal link. */
function CalendarButton(props: { inviteToken: string }) {
  const [error, setError] = createSignal<string>();
  const save = async () => {
    try {
      const blob = await api.ownCalendar(props.inviteToken);
      const url = URL.createObjectURL(blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = 'network-meetings.ics';
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      setError(undefined);
    } catch (e) {
      setError(messageOf(e));
    }
  };
  return (
    <>
      <button type="button" onClick={() => void save()}>
        Add these meetings to my calendar
      </button>
      <Show when={error()}>{(message) => <p role="alert" class="error">{message()}</p>}</Show>
    </>
  );
}
