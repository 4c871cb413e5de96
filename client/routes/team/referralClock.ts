// The clock is shared with the server, which computes it for the network list with its own (injectable) clock.
export { byClockUrgency, FIRST_MEETING_TARGET_HOURS, referralClock, type ReferralClock } from '../../../shared/api/referralClock.ts';
