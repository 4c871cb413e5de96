import { z } from 'zod';

const HOUR_MS = 60 * 60 * 1000;

/** Open Dialogue's "immediate help": the first meeting within 24 hours of referral. */
export const FIRST_MEETING_TARGET_HOURS = 24;

/**
 * Where a network stands against the 24-hour target:
 * - `met`: a first meeting was held (a team member and a network member were in it together) within 24 hours;
 * - `planned`: nothing held yet, and a meeting is scheduled ahead, within the 24 hours;
 * - `running`: nothing held yet and time is left, with no meeting ahead in time (none, too late, or its
 *   time came and nobody met);
 * - `missed`: 24 hours passed without a held meeting (none yet, or the first was held later).
 */
export const ReferralClockState = z.enum(['met', 'planned', 'running', 'missed']);
export type ReferralClockState = z.infer<typeof ReferralClockState>;

/** The state and a plain sentence to show beside it. */
export interface ReferralClock {
  state: ReferralClockState;
  text: string;
}

/** What happened and what is planned: the clock reads what happened first, the schedule only when nothing was held. */
export interface FirstMeeting {
  /** When a team member and a network member were first in a meeting together (from the attendance). */
  heldAt?: string | undefined;
  /** When the next meeting not yet ended is scheduled. */
  plannedAt?: string | undefined;
}

/**
 * The 24-hour clock from referral to the first meeting held. Pure, with the clock passed in, so it is tested
 * without waiting. A schedule never makes the target met: only a meeting held does (a planned meeting whose
 * time has come but where nobody met leaves the clock running).
 */
export function referralClock(referredAt: string, first: FirstMeeting, now: Date): ReferralClock {
  const deadline = new Date(referredAt).getTime() + FIRST_MEETING_TARGET_HOURS * HOUR_MS;
  if (first.heldAt !== undefined) {
    return new Date(first.heldAt).getTime() <= deadline
      ? { state: 'met', text: 'First meeting held within 24 hours' }
      : { state: 'missed', text: 'First meeting held later than 24 hours' };
  }
  const left = deadline - now.getTime();
  if (left <= 0) return { state: 'missed', text: 'No meeting held yet: more than 24 hours since referral' };
  const planned = first.plannedAt === undefined ? undefined : new Date(first.plannedAt).getTime();
  if (planned !== undefined && planned >= now.getTime() && planned <= deadline) return { state: 'planned', text: 'First meeting planned within 24 hours' };
  const hoursLeft = left / HOUR_MS;
  return { state: 'running', text: `No meeting held yet: ${Math.floor(hoursLeft)} h ${Math.floor((hoursLeft % 1) * 60)} min left of 24 hours` };
}

/** How urgently a clock asks for attention: missed first, then running, planned, met. */
export const CLOCK_URGENCY: Record<ReferralClockState, number> = { missed: 0, running: 1, planned: 2, met: 3 };

/**
 * Orders networks for the team's list: missed and running clocks first, then by referral, oldest first
 * (the one waiting longest). Stable for equal keys.
 */
export function byClockUrgency<T extends { referredAt: string; clock: ReferralClock }>(a: T, b: T): number {
  return CLOCK_URGENCY[a.clock.state] - CLOCK_URGENCY[b.clock.state] || a.referredAt.localeCompare(b.referredAt);
}
