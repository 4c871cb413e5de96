import { z } from 'zod';

/**
 * Whom a network's meetings are about: the name the team gave at referral, and whether the person reading
 * is that person (a member the team marked as the person at the centre).
 */
export const MeetingAbout = z.object({ name: z.string(), isYou: z.boolean() });
export type MeetingAbout = z.infer<typeof MeetingAbout>;

/** "This meeting is about Jo", or "This meeting is about you" to the person themselves. */
export function meetingAboutText(about: MeetingAbout): string {
  return `This meeting is about ${about.isYou ? 'you' : about.name}`;
}
