/** A stretch of time someone was in a meeting, in milliseconds since the epoch; `to` > `from`, or equal for a blink. */
export interface Interval {
  from: number;
  to: number;
}

/** A join or leave of one identity, in time order with the others. */
export interface PresenceEvent {
  identity: string;
  kind: 'joined' | 'left';
  at: string;
}

/**
 * Who was in the room when, from joins and leaves in time order. A leave without a join before it is
 * ignored (its join was lost or came before the record began); a second join while in is ignored (a
 * reconnect); a stay still open ends at `until` (the meeting's end, or now while it runs).
 */
export function presenceOf(events: readonly PresenceEvent[], until: string): Map<string, Interval[]> {
  const end = Date.parse(until);
  const open = new Map<string, number>();
  const spans = new Map<string, Interval[]>();
  const close = (identity: string, at: number) => {
    const from = open.get(identity);
    if (from === undefined) return;
    open.delete(identity);
    spans.set(identity, [...(spans.get(identity) ?? []), { from, to: Math.min(Math.max(at, from), Math.max(end, from)) }]);
  };
  for (const event of events) {
    const at = Date.parse(event.at);
    if (event.kind === 'left') close(event.identity, at);
    else if (!open.has(event.identity)) open.set(event.identity, at);
  }
  for (const identity of [...open.keys()]) close(identity, end);
  return spans;
}

/** First join, last leave (none while still in) and minutes present in all, for the record. */
export function spanOf(intervals: readonly Interval[], stillIn: boolean): { firstJoinedAt: string; lastLeftAt: string | undefined; totalMinutes: number } | undefined {
  const first = intervals[0];
  const last = intervals.at(-1);
  if (!first || !last) return undefined;
  const total = intervals.reduce((sum, i) => sum + (i.to - i.from), 0);
  return { firstJoinedAt: new Date(first.from).toISOString(), lastLeftAt: stillIn ? undefined : new Date(last.to).toISOString(), totalMinutes: Math.round(total / 60_000) };
}

/** The first moment someone of `a` and someone of `b` were in the room together; undefined if never. */
export function firstTogether(a: readonly Interval[], b: readonly Interval[]): number | undefined {
  let first: number | undefined;
  for (const x of a) {
    for (const y of b) {
      const from = Math.max(x.from, y.from);
      if (from < Math.min(x.to, y.to) && (first === undefined || from < first)) first = from;
    }
  }
  return first;
}
