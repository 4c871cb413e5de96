const HOUR_MS = 60 * 60 * 1000;

/** Open Dialogue's "immediate help": the first meeting within 24 hours of referral. */
export const FIRST_MEETING_TARGET_HOURS = 24;

/**
 * Where a network stands against the 24-hour target: met (a first meeting was held or scheduled in time),
 * running (still time left), or missed. Pure, with the clock passed in, so it is tested without waiting.
 */
export function referralClock(referredAt: string, firstMeetingAt: string | undefined, now: Date) {
  const referred = new Date(referredAt).getTime();
  const deadline = referred + FIRST_MEETING_TARGET_HOURS * HOUR_MS;
  if (firstMeetingAt !== undefined) {
    const first = new Date(firstMeetingAt).getTime();
    return first <= deadline ? { state: 'met' as const, text: 'First meeting within 24 hours' } : { state: 'missed' as const, text: 'First meeting later than 24 hours' };
  }
  const hoursLeft = (deadline - now.getTime()) / HOUR_MS;
  if (hoursLeft <= 0) return { state: 'missed' as const, text: 'No meeting yet: more than 24 hours since referral' };
  return { state: 'running' as const, text: `No meeting yet: ${Math.floor(hoursLeft)} h ${Math.floor((hoursLeft % 1) * 60)} min left of 24 hours` };
}
