import { createResource, Show } from 'solid-js';
import { api } from '../../lib/api.ts';
import { meetingDayAndTime, networkZoneNote } from '../../lib/meetingWhen.ts';
import { teamInWords } from '../../lib/teamWords.ts';
import { CalendarButton } from '../../routes/invite/CalendarButton.tsx';

/**
 * What a network member can do once the meeting has ended: read its record (sealed at the end) and know
 * when the next meeting is, with a calendar file for it. Read through their invite link.
 */
export function NextAfterMeeting(props: { meetingId: string; inviteToken: string }) {
  const [overview] = createResource(() => props.inviteToken, (token) => api.memberOverview(token));
  const next = () => overview()?.upcoming.find((m) => m.id !== props.meetingId);
  const zoneNote = (at: string) => {
    const zone = overview()?.timeZone;
    return zone === undefined ? undefined : networkZoneNote(at, zone);
  };
  return (
    <section class="card stack" aria-labelledby="after-heading">
      <h2 id="after-heading">What happens next</h2>
      <p>
        <a href={`/i/${encodeURIComponent(props.inviteToken)}/record/${encodeURIComponent(props.meetingId)}`}>Read the record of this meeting</a>
      </p>
      <Show when={!overview.loading} fallback={<p class="hint">Looking for the next meeting…</p>}>
        <Show when={next()} fallback={<p>{overview.error ? 'We could not look up the next meeting. Your link shows it.' : 'No next meeting is planned yet. The team will let you know.'}</p>}>
          {(m) => (
            <>
              <p class="meeting-when">Next meeting: {meetingDayAndTime(m().scheduledAt, new Date())}</p>
              <Show when={zoneNote(m().scheduledAt)}>{(note) => <p class="hint">{note()}</p>}</Show>
              <Show when={(m().team ?? []).length > 0}>
                <p class="hint">With {teamInWords(m().team ?? [])} from the team.</p>
              </Show>
              <div class="row wrap">
                <CalendarButton inviteToken={props.inviteToken} meetingId={m().id} label="Add the next meeting to my calendar" />
              </div>
            </>
          )}
        </Show>
      </Show>
    </section>
  );
}
