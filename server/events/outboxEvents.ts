import { errorFields, type Logger } from '../log.ts';
import type { AccessEventStore } from '../store/accessEventStore.ts';
import { parseAccessEvent, type AccessEvent } from './accessEvents.ts';
import { LocalEventFanout, type AccessEventHandler, type AccessEventPort } from './eventPort.ts';

/** How often other processes' events are looked for: well inside the one second access may outlive its loss. */
const POLL_MS = 200;
/** Outbox rows older than this are dropped on the next append: they are a signal, not a history. */
const KEEP_MS = 10 * 60_000;
const BATCH = 500;

export interface OutboxEvents extends AccessEventPort {
  /** Delivers to this process's handlers only: for events each process derives for itself (expiries). */
  deliverLocal(event: AccessEvent): Promise<void>;
  /** Starts delivering events written by other processes (from now on, not the backlog). */
  start(): Promise<void>;
  stop(): void;
}

/**
 * Access events shared through the store's outbox: `publish` records the event and delivers it here at
 * once; a poller delivers what other processes recorded. Every process has its own origin, so nobody
 * hears its own events twice. (A cluster replaces this with Redis or LISTEN/NOTIFY behind the same port.)
 */
export function createOutboxEvents(options: { store: AccessEventStore; origin: string; logger: Logger; pollMs?: number; now?: () => Date }): OutboxEvents {
  const { store, origin, logger } = options;
  const now = options.now ?? (() => new Date());
  const local = new LocalEventFanout(logger);
  let lastSeq = 0;
  let timer: NodeJS.Timeout | null = null;
  let polling = false;

  const poll = async (): Promise<void> => {
    for (let rows = await store.after(lastSeq, BATCH); rows.length > 0; rows = await store.after(lastSeq, BATCH)) {
      for (const row of rows) {
        lastSeq = row.seq;
        if (row.origin === origin) continue;
        const event = parseAccessEvent(row.body);
        if (event) await local.deliver(event);
        else logger.warn('access_event_malformed', { seq: row.seq });
      }
    }
  };

  return {
    async publish(event: AccessEvent) {
      const at = now();
      await store.append({ origin, at: at.toISOString(), body: JSON.stringify(event) }, new Date(at.getTime() - KEEP_MS).toISOString());
      await local.deliver(event);
    },
    subscribe: (handler: AccessEventHandler) => local.subscribe(handler),
    deliverLocal: (event) => local.deliver(event),
    async start() {
      lastSeq = await store.lastSeq();
      timer = setInterval(() => {
        // One look at a time: a slow handler must not start a second reader over the same rows.
        if (polling) return;
        polling = true;
        poll()
          .catch((error: unknown) => logger.error('access_event_poll_failed', errorFields(error)))
          .finally(() => {
            polling = false;
          });
      }, options.pollMs ?? POLL_MS);
      timer.unref();
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = null;
    },
  };
}
