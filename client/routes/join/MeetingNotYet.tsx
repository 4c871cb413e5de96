import { Show } from 'solid-js';
import type { GetMeetingResponse } from '../../../shared/api/meetings.ts';
import { memberJoinWindow } from '../../../shared/api/joinWindow.ts';
import { clockTime, isSameDay, meetingDayAndTime, networkZoneNote, ownTimeZone } from '../../lib/meetingWhen.ts';
import { teamInWords } from '../../lib/teamWords.ts';
import { CalendarButton } from '../invite/CalendarButton.tsx';
import { FocusedHeading } from './FocusedHeading.tsx';

/**
 * For a network member who opens a meeting before it can be joined: when it is, in their own time, who from
 * the team will come, and a calendar file, instead of a waiting room that would say the team is coming soon.
 */
export function MeetingNotYet(props: { meeting: GetMeetingResponse; now: Date; inviteToken: string; onBack?: (() => void) | undefined }) {
  const at = () => props.meeting.when.scheduledAt;
  const opensAt = () => memberJoinWindow(at(), props.meeting.when.durationMinutes).opensAt.toISOString();
  const zoneNote = () => networkZoneNote(at(), props.meeting.when.timeZone);
  return (
    <main class="page narrow stack meeting-not-yet">
      <FocusedHeading>This meeting is {meetingDayAndTime(at(), props.now)}</FocusedHeading>
      <p class="lead">
        {props.meeting.meeting.title}
        <Show when={props.meeting.team.length > 0}>, with {teamInWords(props.meeting.team)} from the team</Show>.
      </p>
      <p>
        You can join from {clockTime(opensAt())}
        {isSameDay(opensAt(), props.now) ? '' : ' on the day'}, with this same link. Until then there is nothing to wait for here.
      </p>
      <p class="hint">
        Times are in your time zone ({ownTimeZone().replaceAll('_', ' ')}). {zoneNote() ?? ''}
      </p>
      <div class="row wrap">
        <CalendarButton inviteToken={props.inviteToken} meetingId={props.meeting.meeting.id} label="Add to calendar" class="primary" />
        <Show when={props.onBack}>
          {(back) => (
            <button type="button" onClick={() => back()()}>
              Back to all meetings
            </button>
          )}
        </Show>
      </div>
    </main>
  );
}
