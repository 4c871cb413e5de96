import { errorFields, type Logger } from '../log.ts';
import type { DocumentLeaseStore } from './documentLeases.ts';
import type { DocumentOwnership, HoldEvents } from './documentOwnership.ts';

/**
 * How long a lease runs and how often its owner renews it. The lease bounds failover: a killed instance's
 * documents can be claimed by a survivor at most `ttlMs` after its last renewal. Renewing four times per
 * lease rides out a slow renewal or two (a lease lost to a hiccup is safe, only a needless move: the epoch
 * still fences the old owner's writes). Every instance renews all its documents in one statement.
 */
export interface LeaseTiming {
  ttlMs: number;
  renewEveryMs: number;
  /**
   * An owner asked for its document hands it over only once it has held it this long: if two load
   * balancers disagree on where the document lives, it moves at most once per this, not at every renewal.
   * (The request stays in the store, so it is answered at the first renewal after this.)
   */
  minHoldMs: number;
}

/** 2 s: with HAProxy's health check (deploy/haproxy) and the client's backoff, clients are back within ~3 s. */
export const DEFAULT_LEASE_TIMING: LeaseTiming = { ttlMs: 2_000, renewEveryMs: 500, minHoldMs: 5_000 };

interface Held {
  epoch: number;
  since: number;
  events: HoldEvents;
}

/** {@link DocumentOwnership} for instances sharing one store: leases renewed in the background. */
export function createLeasedOwnership(options: { leases: DocumentLeaseStore; logger: Logger; timing?: LeaseTiming }): DocumentOwnership {
  const { leases, logger } = options;
  const timing = options.timing ?? DEFAULT_LEASE_TIMING;
  const held = new Map<string, Held>();
  let renewing = false;

  const renewAll = async (): Promise<void> => {
    const entries = [...held].map(([docName, { epoch }]) => ({ docName, epoch }));
    if (renewing || entries.length === 0) return;
    renewing = true;
    try {
      for (const { docName, epoch, state } of await leases.renew(entries, timing.ttlMs)) {
        const current = held.get(docName);
        if (!current || current.epoch !== epoch || state === 'held') continue;
        if (state === 'gone' || state === 'lost') held.delete(docName);
        // Gone: nothing left to hold or to move; the erasure's own event ends the sockets (and writes are fenced).
        if (state === 'gone') continue;
        if (state === 'lost') {
          logger.info('sync_lease_lost', { docName });
          current.events.lost();
        } else if (performance.now() - current.since >= timing.minHoldMs) {
          logger.info('sync_lease_wanted', { docName });
          current.events.wanted();
        }
      }
    } catch (error) {
      // Writes still carry the epoch, so nothing unsafe follows: at worst the lease runs out and the
      // document moves to whichever instance the load balancer sends its next client to.
      logger.warn('sync_lease_renew_failed', errorFields(error));
    } finally {
      renewing = false;
    }
  };
  const timer = setInterval(() => void renewAll(), timing.renewEveryMs);
  timer.unref();

  return {
    claim: (docName) => leases.claim(docName, timing.ttlMs),
    hold({ docName, epoch }, events) {
      held.set(docName, { epoch, since: performance.now(), events });
      return () => {
        if (held.get(docName)?.epoch === epoch) held.delete(docName);
      };
    },
    release: (docName, epoch) => leases.release(docName, epoch),
    close() {
      clearInterval(timer);
      held.clear();
    },
  };
}
