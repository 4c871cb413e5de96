import { newRandomId } from '../ids.ts';
import { errorFields, type Logger } from '../log.ts';
import type { AccessEventStore } from '../store/accessEventStore.ts';
import { parseAccessEvent, type AccessEvent } from './accessEvents.ts';
import { createAccessEventCounters, type AccessEventCounters } from './eventCounters.ts';
import { LocalEventFanout, type AccessEventHandler, type AccessEventPort } from './eventPort.ts';
import { createTimerDoorbell, type OutboxDoorbell } from './outboxDoorbell.ts';

/** Outbox rows older than this are dropped on the next append: they are a signal, not a history. */
const KEEP_MS = 10 * 60_000;
const BATCH = 500;

export interface OutboxEvents extends AccessEventPort {
  /** Delivers to this process's handlers only: for events each process derives for itself (expiries). */
  deliverLocal(event: AccessEvent): Promise<void>;
  /** Starts delivering events written by other processes (from now on, not the backlog). */
  start(): Promise<void>;
  stop(): Promise<void>;
}

export interface OutboxEventsOptions {
  store: AccessEventStore;
  /** This process, unique among those sharing the store: nobody hears its own events twice. */
  origin: string;
  logger: Logger;
  /** What says the outbox may hold something new: PostgreSQL's notifications, or a timer (the default). */
  doorbell?: OutboxDoorbell;
  counters?: AccessEventCounters;
  now?: () => Date;
}

/**
 * Access events shared through the store's outbox: `publish` records the event and delivers it here at
 * once; other processes read it when their doorbell rings (at once on PostgreSQL, within a fifth of a
 * second on SQLite) and deliver it to their own handlers. Every process has its own origin, so nobody hears
 * its own events twice. The engine is chosen where the port is made (accessEventsFor.ts): nothing else in
 * the server knows how events travel.
 */
export function createOutboxEvents(options: OutboxEventsOptions): OutboxEvents {
  const { store, origin, logger } = options;
  const now = options.now ?? (() => new Date());
  const counters = options.counters ?? createAccessEventCounters();
  const doorbell = options.doorbell ?? createTimerDoorbell();
  const local = new LocalEventFanout(logger);
  /** Undefined until started: rings before then are remembered and answered once the start point is known. */
  let lastSeq: number | undefined;
  let reading = false;
  let rungWhileReading = false;

  const readNew = async (from: number): Promise<void> => {
    let seq = from;
    for (let rows = await store.after(seq, BATCH); rows.length > 0; rows = await store.after(seq, BATCH)) {
      for (const row of rows) {
        seq = row.seq;
        lastSeq = seq;
        if (row.origin === origin) continue;
        const event = parseAccessEvent(row.body);
        if (!event) {
          counters.malformedRows += 1;
          logger.warn('access_event_malformed', { seq: row.seq });
          continue;
        }
        counters.received += 1;
        await local.deliver(event);
      }
    }
  };

  // One reader at a time (a slow handler must not start a second reader over the same rows); a ring during
  // a read is kept and answered by one more read, so an event committed meanwhile is not left waiting.
  const ring = (): void => {
    if (lastSeq === undefined || reading) {
      rungWhileReading = true;
      return;
    }
    reading = true;
    rungWhileReading = false;
    readNew(lastSeq)
      .catch((error: unknown) => logger.error('access_event_read_failed', errorFields(error)))
      .finally(() => {
        reading = false;
        if (rungWhileReading) ring();
      });
  };

  return {
    async publish(unnamed: AccessEvent) {
      const at = now();
      const event = { ...unnamed, eventId: unnamed.eventId ?? newRandomId() };
      await store.append({ origin, at: at.toISOString(), body: JSON.stringify(event) }, new Date(at.getTime() - KEEP_MS).toISOString());
      await local.deliver(event);
    },
    subscribe: (handler: AccessEventHandler) => local.subscribe(handler),
    deliverLocal: (event) => local.deliver(event),
    async start() {
      // Listening first, then the start point: an event appended between the two is then both after the
      // start point and rung for (the ring waits for the start point), so it cannot fall between them.
      await doorbell.start(ring);
      lastSeq = await store.lastSeq();
      if (rungWhileReading) ring();
    },
    stop: () => doorbell.stop(),
  };
}
