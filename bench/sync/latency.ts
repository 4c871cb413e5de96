/**
 * Send-to-receipt latency of typed inserts. Each insert carries a marker `~<id base 36>|` in its text; a
 * receiver finds markers by scanning the raw bytes it got (the text of a Yjs update is plain UTF-8 inside
 * it), so lean clients need not decode Yjs at all. Sender and receivers live in this process, so both
 * timestamps come from one clock.
 */
export interface LatencyRecorder {
  /**
   * Starts timing one insert by client `from` that `expectedReceipts` other clients should see; returns
   * its marker text.
   */
  send(expectedReceipts: number, from: number): string;
  /** Inserts sent while this is false (the warm-up) are not counted. */
  counting: boolean;
  /**
   * Scans a frame or update that client `by` received for markers and records each one's latency. A
   * client's own inserts echoed back to it (@y/websocket-server sends every update to every connection)
   * are not receipts.
   */
  receive(bytes: Uint8Array, by: number): void;
  /** Counted receipts still expected (cheap, for polling). */
  outstanding(): number;
  summary(): LatencySummary;
}

export interface LatencySummary {
  expected: number;
  received: number;
  /** Receipts that never came; they count as infinitely late in the percentiles. */
  missing: number;
  p50: number;
  p99: number;
  max: number;
}

interface Pending {
  sentAt: number;
  remaining: number;
  from: number;
}

export function createLatencyRecorder(): LatencyRecorder {
  const pending = new Map<number, Pending>();
  const samples: number[] = [];
  let expected = 0;
  let nextId = 1;

  const recorder: LatencyRecorder = {
    counting: true,
    send(expectedReceipts, from) {
      const id = nextId++;
      if (recorder.counting && expectedReceipts > 0) {
        pending.set(id, { sentAt: performance.now(), remaining: expectedReceipts, from });
        expected += expectedReceipts;
      }
      return markerText(id);
    },
    receive(bytes, by) {
      const now = performance.now();
      scanMarkers(bytes, (id) => {
        const entry = pending.get(id);
        if (!entry || entry.from === by) return;
        samples.push(now - entry.sentAt);
        if (--entry.remaining === 0) pending.delete(id);
      });
    },
    outstanding: () => expected - samples.length,
    summary() {
      const sorted = Float64Array.from(samples).sort();
      const missing = Math.max(0, expected - samples.length);
      return {
        expected,
        received: samples.length,
        missing,
        p50: percentile(sorted, missing, 0.5),
        p99: percentile(sorted, missing, 0.99),
        max: missing > 0 ? Number.POSITIVE_INFINITY : (sorted.at(-1) ?? Number.NaN),
      };
    },
  };
  return recorder;
}

export function markerText(id: number): string {
  return `~${id.toString(36)}|`;
}

const TILDE = 0x7e;
const BAR = 0x7c;
const MAX_DIGITS = 10;

/** Calls `found` for every well-formed marker in `bytes`. Stray matches in binary data are ignored by the caller. */
export function scanMarkers(bytes: Uint8Array, found: (id: number) => void): void {
  for (let start = bytes.indexOf(TILDE); start !== -1; start = bytes.indexOf(TILDE, start + 1)) {
    let id = 0;
    let end = start + 1;
    for (; end < bytes.length && end - start <= MAX_DIGITS; end++) {
      const digit = base36Digit(bytes[end] ?? 0);
      if (digit < 0) break;
      id = id * 36 + digit;
    }
    if (end > start + 1 && bytes[end] === BAR) found(id);
  }
}

function base36Digit(byte: number): number {
  if (byte >= 0x30 && byte <= 0x39) return byte - 0x30;
  if (byte >= 0x61 && byte <= 0x7a) return byte - 0x61 + 10;
  return -1;
}

/** Nearest-rank percentile over the received samples plus `missing` infinitely late ones. */
function percentile(sorted: Float64Array, missing: number, p: number): number {
  const total = sorted.length + missing;
  if (total === 0) return Number.NaN;
  const rank = Math.max(1, Math.ceil(p * total));
  return rank <= sorted.length ? (sorted[rank - 1] ?? Number.NaN) : Number.POSITIVE_INFINITY;
}
