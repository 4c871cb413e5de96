/** The item whose `key` is the median (the lower one of an even count); throws on an empty list. */
export function medianBy<T>(items: readonly T[], key: (item: T) => number): T {
  const sorted = [...items].sort((a, b) => key(a) - key(b));
  const median = sorted[Math.floor((sorted.length - 1) / 2)];
  if (median === undefined) throw new Error('a median needs at least one item');
  return median;
}
