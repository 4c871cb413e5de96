import { z } from 'zod';

const HOUR_MS = 60 * 60 * 1000;

/** Open Dialogue's "immediate help": the first meeting within 24 hours of referral. */
export const FIRST_MEETING_TARGET_HOURS = 24;

/**
 * Where a network stands against the 24-hour target:
 * - `met`: the first meeting took place (its time has come) within 24 hours of the referral;
 * - `planned`: the first meeting is still ahead and within the 24 hours;
 * - `running`: no meeting yet and time is left;
 * - `missed`: no meeting within 24 hours (none yet after the deadline, or the first one is or was later).
 */
export const ReferralClockState = z.enum(['met', 'planned', 'running', 'missed']);
export type ReferralClockState = z.infer<typeof ReferralClockState>;

/** The state and a plain sentence to show beside it. */
export interface ReferralClock {
  state: ReferralClockState;
  text: string;
}

/**
 * The 24-hour clock from referral to first meeting. Pure, with the clock passed in, so it is tested
 * without waiting. `firstMeetingAt` is the earliest meeting of the network (held or scheduled).
 */
export function referralClock(referredAt: string, firstMeetingAt: string | undefined, now: Date): ReferralClock {
  const referred = new Date(referredAt).getTime();
  const deadline = referred + FIRST_MEETING_TARGET_HOURS * HOUR_MS;
  if (firstMeetingAt !== undefined) {
    const first = new Date(firstMeetingAt).getTime();
    if (first > deadline) return { state: 'missed', text: 'First meeting later than 24 hours' };
    if (first > now.getTime()) return { state: 'planned', text: 'First meeting planned within 24 hours' };
    return { state: 'met', text: 'First meeting within 24 hours' };
  }
  const hoursLeft = (deadline - now.getTime()) / HOUR_MS;
  if (hoursLeft <= 0) return { state: 'missed', text: 'No meeting yet: more than 24 hours since referral' };
  return { state: 'running', text: `No meeting yet: ${Math.floor(hoursLeft)} h ${Math.floor((hoursLeft % 1) * 60)} min left of 24 hours` };
}
