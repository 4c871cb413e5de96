import { errorFields, type Logger } from '../log.ts';
import type { RecordStore } from '../store/recordStore.ts';

/**
 * Meetings ended outside this process (the ops CLI, another instance) are sealed here too: every few
 * seconds, meetings ended since the last look have their open sockets closed. New connections are refused
 * at once anyway (syncAccess.ts checks the store). Returns a function that stops watching.
 */
export function watchEndedMeetings(
  records: RecordStore,
  onEnded: (meetingId: string) => Promise<void>,
  logger: Logger,
  intervalMs = 2_000,
): () => void {
  let since = new Date().toISOString();
  const look = async () => {
    for (const { id, endedAt } of await records.endedSince(since)) {
      since = endedAt > since ? endedAt : since;
      await onEnded(id);
    }
  };
  const timer = setInterval(() => void look().catch((error: unknown) => logger.error('ended_meeting_watch_failed', errorFields(error))), intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
