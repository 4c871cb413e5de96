/**
 * Adds up how long someone has spoken from "started speaking" / "stopped speaking" events. Repeated events
 * of the same kind change nothing, and time never runs backwards (a clock step is ignored).
 */
export function createSpeakingClock() {
  let total = 0;
  let since: number | undefined;
  return {
    speaking(isSpeaking: boolean, now: number) {
      if (isSpeaking && since === undefined) since = now;
      if (!isSpeaking && since !== undefined) {
        total += Math.max(0, now - since);
        since = undefined;
      }
    },
    /** Seconds spoken up to `now`, including a stretch still going on. */
    seconds(now: number): number {
      const running = since === undefined ? 0 : Math.max(0, now - since);
      return (total + running) / 1000;
    },
  };
}
