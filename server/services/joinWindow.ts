import { ApiError } from '../errors.ts';
import type { MeetingRecord } from '../store/meetingStore.ts';
import type { Stores } from '../store/stores.ts';
import { memberJoinWindow } from '../../shared/api/joinWindow.ts';

/**
 * A network member (or interpreter) may join a meeting the team has opened (it is live), or one that is
 * near its time. Outside that window the answer says when it opens, in the member's own time zone when
 * their browser said which (an unknown zone falls back to UTC, named). Team members are not limited:
 * they may open a meeting early, and their joining is what makes it live.
 */
export async function requireMemberJoinWindow(stores: Pick<Stores, 'records'>, meeting: MeetingRecord, now: Date, timeZone: string | undefined): Promise<void> {
  if (meeting.status === 'live') return;
  const schedule = (await stores.records.schedules([meeting.id])).get(meeting.id);
  const window = memberJoinWindow(meeting.scheduledAt, schedule?.durationMinutes);
  const starts = formatWhen(new Date(meeting.scheduledAt), timeZone);
  if (now < window.opensAt) {
    throw new ApiError('conflict', `This meeting is on ${starts}. You can join from half an hour before it starts. Please come back then: your link will still work.`);
  }
  if (now > window.closesAt) {
    throw new ApiError('conflict', `This meeting was on ${starts} and can no longer be joined. What was written in it can still be read from your link.`);
  }
}

/** `Monday, 23 November 2026 at 09:30` in the given zone; `… at 09:30 UTC` when the zone is unknown. */
export function formatWhen(at: Date, timeZone: string | undefined): string {
  const format = (zone: string) => new Intl.DateTimeFormat('en-GB', { timeZone: zone, dateStyle: 'full', timeStyle: 'short' }).format(at);
  if (timeZone) {
    try {
      return format(timeZone);
    } catch {
      // Not a zone this server knows: UTC below, said as such.
    }
  }
  return `${format('UTC')} UTC`;
}
