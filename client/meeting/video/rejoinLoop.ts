import { rejoinDelayMs } from './rejoinPolicy.ts';

/** How one attempt to join again went: in the room, refused for good, or worth another try. */
export type RejoinOutcome = 'in' | 'final' | 'retry';

export interface RejoinLoopDeps {
  /** One attempt: ask for fresh access and join with it. */
  attempt: () => Promise<RejoinOutcome>;
  /** Whether the room is (still) disconnected, so that joining again is needed. */
  isDown: () => boolean;
  isOnline: () => boolean;
  /** Told when a loop starts and ends (the session says "Reconnecting…" meanwhile). */
  onRunning: (running: boolean) => void;
  delayMs?: (attempt: number) => number;
}

/**
 * Joining again after the room was lost: attempts with growing waits until in, refused for good, or
 * stopped; one loop at a time. Offline, no attempt is made; `wake()` (the browser is back online) ends
 * the current wait at once.
 */
export function createRejoinLoop({ attempt, isDown, isOnline, onRunning, delayMs = rejoinDelayMs }: RejoinLoopDeps) {
  let running = false;
  let stopped = false;
  let wake: (() => void) | undefined;

  const pause = (ms: number) =>
    new Promise<void>((done) => {
      const timer = setTimeout(finish, ms);
      function finish() {
        clearTimeout(timer);
        wake = undefined;
        done();
      }
      wake = finish;
    });

  const run = async (): Promise<void> => {
    if (running || stopped) return;
    running = true;
    onRunning(true);
    try {
      for (let n = 0; !stopped; n += 1) {
        await pause(delayMs(n));
        if (stopped || !isOnline()) continue;
        if (!isDown()) return;
        const outcome = await attempt();
        // In, but dropped again straight away (its Disconnected event found this loop still running): go on.
        if (outcome === 'final' || (outcome === 'in' && !isDown())) return;
      }
    } finally {
      running = false;
      onRunning(false);
    }
  };

  return {
    run,
    wake: () => wake?.(),
    /** No more attempts, ever (the person left, or the meeting room was closed). */
    stop: () => {
      stopped = true;
      wake?.();
    },
    stopped: () => stopped,
  };
}
