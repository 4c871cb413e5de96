import type { HistogramSnapshot } from './prometheusText.ts';

/** A fixed-bucket histogram of durations in seconds, as Prometheus expects them. */
export interface Histogram {
  observe(seconds: number): void;
  snapshot(): HistogramSnapshot;
}

/**
 * Buckets for store operations on a local SQLite with synchronous=FULL: an fsync is typically 0.5–5 ms,
 * so the resolution is finest there; anything past a second is an incident.
 */
export const STORE_SECONDS_BUCKETS: readonly number[] = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

export function createHistogram(buckets: readonly number[] = STORE_SECONDS_BUCKETS): Histogram {
  const bounds = [...buckets].sort((a, b) => a - b);
  const counts: number[] = new Array<number>(bounds.length + 1).fill(0);
  let sum = 0;
  return {
    observe(seconds) {
      if (!Number.isFinite(seconds) || seconds < 0) return;
      let index = bounds.findIndex((bound) => seconds <= bound);
      if (index === -1) index = bounds.length;
      counts[index] = (counts[index] ?? 0) + 1;
      sum += seconds;
    },
    snapshot: () => ({ buckets: bounds, counts: [...counts], sum }),
  };
}
