/** How early a network member may open a meeting: time to check camera and sound, not months ahead. */
export const MEMBER_EARLY_MS = 30 * 60_000;
/** How long after its scheduled end a meeting not yet opened by the team stays open to members. */
export const MEMBER_LATE_MS = 4 * 60 * 60_000;
/** A meeting made before scheduling existed has no length on record: an hour, as the calendar assumes. */
const DEFAULT_DURATION_MS = 60 * 60_000;

/** When a network member may join a meeting that the team has not opened yet. */
export interface JoinWindow {
  opensAt: Date;
  closesAt: Date;
}

/**
 * From {@link MEMBER_EARLY_MS} before the scheduled start until {@link MEMBER_LATE_MS} after the scheduled
 * end. The server enforces it; clients use it to say "you can join from 09:30" and to tell a meeting still
 * ahead from one that was never held, with the same numbers.
 */
export function memberJoinWindow(scheduledAt: string, durationMinutes: number | undefined): JoinWindow {
  const start = new Date(scheduledAt).getTime();
  const length = durationMinutes === undefined ? DEFAULT_DURATION_MS : durationMinutes * 60_000;
  return { opensAt: new Date(start - MEMBER_EARLY_MS), closesAt: new Date(start + length + MEMBER_LATE_MS) };
}
