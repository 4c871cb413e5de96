import { describeHappenings, type Happening } from './describeHappenings.ts';

export interface AnnouncementQueueOptions {
  /** How long the first happening after a quiet spell waits for others of the same burst. */
  gatherMs: number;
  /** The least time between two announcements, so a screen reader finishes one before the next. */
  gapMs: number;
  /** Says one merged announcement (puts it in the live region). */
  say: (text: string) => void;
}

export interface AnnouncementQueue {
  tell(happening: Happening): void;
  /** Drops what is waiting and stops for good (the meeting room is closing). */
  stop(): void;
}

/**
 * Collects happenings and says them merged, at most one announcement per `gapMs`: ten people joining at
 * once, or a burst of chat after a reconnection, becomes one sentence instead of ten interruptions.
 */
export function createAnnouncementQueue(options: AnnouncementQueueOptions): AnnouncementQueue {
  let pending: Happening[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  let lastSaidAt = Number.NEGATIVE_INFINITY;
  let stopped = false;

  const flush = () => {
    timer = undefined;
    const text = describeHappenings(pending);
    pending = [];
    if (!text) return;
    lastSaidAt = Date.now();
    options.say(text);
  };

  return {
    tell(happening) {
      if (stopped) return;
      pending.push(happening);
      if (timer !== undefined) return;
      const wait = Math.max(options.gatherMs, lastSaidAt + options.gapMs - Date.now());
      timer = setTimeout(flush, wait);
    },
    stop() {
      stopped = true;
      clearTimeout(timer);
      timer = undefined;
      pending = [];
    },
  };
}
