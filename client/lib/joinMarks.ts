/**
 * The steps from the click on "Join meeting" to the first frame of someone else's video, as User Timing marks
 * (`performance.mark`), so that where a slow join spends its time can be read: in the browser's performance
 * panel, and by `npm run bench:join`, which reports each step in ms after the click. A mark costs microseconds
 * and carries no personal data (only the step's name). Each step is marked once per join, at its first time
 * ('join-requested' starts a new join: Leave, then Join again).
 */
export type JoinStep =
  | 'join-requested'
  | 'join-answered'
  | 'room-code-ready'
  | 'video-connect-started'
  | 'video-socket-opened'
  | 'video-connected'
  | 'meeting-room-drawn'
  | 'remote-video-subscribed'
  | 'remote-video-playing'
  | 'microphone-published'
  | 'camera-published'
  | 'notes-synced';

/** Every mark's name starts with this, so a reader can tell them from other marks. */
export const JOIN_MARK_PREFIX = 'join:';

const marked = new Set<JoinStep>();

export function markJoinStep(step: JoinStep): void {
  if (step === 'join-requested') marked.clear();
  if (marked.has(step)) return;
  marked.add(step);
  performance.mark(`${JOIN_MARK_PREFIX}${step}`);
}
