/**
 * Counts attempts per key in a sliding window, for slowing down password guessing. In memory: a restart
 * forgets, which is acceptable for a limit measured in minutes.
 */
export function createAttemptLimiter(options: { max: number; windowMs: number; now?: () => number }) {
  const now = options.now ?? Date.now;
  const attempts = new Map<string, number[]>();
  const recent = (key: string): number[] => {
    const since = now() - options.windowMs;
    const kept = (attempts.get(key) ?? []).filter((t) => t > since);
    if (kept.length === 0) attempts.delete(key);
    else attempts.set(key, kept);
    return kept;
  };
  return {
    /** Whether another attempt under `key` is allowed now; counts it if so. */
    take(key: string): boolean {
      const kept = recent(key);
      if (kept.length >= options.max) return false;
      attempts.set(key, [...kept, now()]);
      return true;
    },
    /** Forgets a key (after a successful login). */
    reset(key: string): void {
      attempts.delete(key);
    },
  };
}
