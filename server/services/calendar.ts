import ical, { ICalCalendarMethod } from 'ical-generator';
import type { ScheduledMeeting } from '../../shared/api/records.ts';

/** The domain part of every event UID: a meeting keeps the same UID in every file, for every invitee. */
const UID_DOMAIN = 'polyphony.meetings';

/** The iCalendar UID of a meeting. */
export function meetingUid(meetingId: string): string {
  return `${meetingId}@${UID_DOMAIN}`;
}

/**
 * An .ics file with one event per meeting, each carrying the invitee's personal link. Rescheduling keeps
 * the UID and raises SEQUENCE, so calendars move the event instead of adding a second one. The summary
 * is the meeting title only, never the person's name: calendars are often synced to outside services.
 */
export function meetingCalendar(meetings: readonly ScheduledMeeting[], personalLink: string, now: Date): string {
  const calendar = ical({
    name: 'Network meetings',
    prodId: { company: 'Polyphony', product: 'Network meetings', language: 'EN' },
    method: ICalCalendarMethod.PUBLISH,
  });
  for (const meeting of meetings) {
    const start = new Date(meeting.scheduledAt);
    calendar.createEvent({
      id: meetingUid(meeting.id),
      sequence: meeting.sequence,
      stamp: now,
      start,
      end: new Date(start.getTime() + meeting.durationMinutes * 60_000),
      summary: meeting.title,
      description: `Join the meeting with your personal link (do not share it): ${personalLink}`,
      location: personalLink,
      url: personalLink,
    });
  }
  return calendar.toString();
}
