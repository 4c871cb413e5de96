import type { DocumentRate } from '../../shared/protocol/syncLimits.ts';
import { DebtBucket } from './rateLimiter.ts';

/**
 * What one document's clients may make the server do per second, shared by all its connections: bytes
 * received and sent in answers, and main-loop time (their messages, and the compactions their writes
 * cause). The server's own work on the document is not charged: loading it (the first connection, a
 * restart, a failover or hand-over) and compacting it on load or unload happen whatever the clients send,
 * and charged they only paused its returning clients (see the load in documentRegistry). Charged after the fact,
 * since a message's cost is known only once it ran; once a document is in debt its connections stop
 * reading (their sockets are paused, so the kernel holds the rest) until the debt is paid. One meeting
 * flooded by any number of connections thus takes at most its share of the loop, and the others keep theirs.
 */
export class DocumentBudget {
  readonly #bytes: DebtBucket;
  readonly #busyMs: DebtBucket;

  constructor(rate: DocumentRate) {
    this.#bytes = new DebtBucket({ perSecond: rate.bytesPerSecond, burst: rate.burstBytes });
    this.#busyMs = new DebtBucket({ perSecond: rate.busyMsPerSecond, burst: rate.burstBusyMs });
  }

  charge(bytes: number, busyMs: number): void {
    const now = performance.now();
    if (bytes > 0) this.#bytes.charge(bytes, now);
    if (busyMs > 0) this.#busyMs.charge(busyMs, now);
  }

  /** 0 when the document may go on; otherwise how long its connections should pause, in ms. */
  waitMs(): number {
    const now = performance.now();
    return Math.max(this.#bytes.waitMs(now), this.#busyMs.waitMs(now));
  }
}
