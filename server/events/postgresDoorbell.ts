import pg from 'pg';
import { z } from 'zod';
import { errorFields, type Logger } from '../log.ts';
import { ACCESS_EVENT_CHANNEL } from '../store/postgres/accessEventStore.ts';
import { validateDatabaseUrl } from '../store/postgres/databaseUrl.ts';
import type { AccessEventCounters } from './eventCounters.ts';
import type { OutboxDoorbell } from './outboxDoorbell.ts';

/** What an append notifies (postgres/accessEventStore.ts): the event's number, nothing else. */
const Notification = z.strictObject({ seq: z.number().int().positive() });

/** Waits between attempts to listen again after the connection was lost: short first, then at most this. */
const FIRST_RETRY_MS = 100;
const MAX_RETRY_MS = 5_000;

/**
 * The PostgreSQL doorbell: one connection of its own (outside the pool, which hands connections out and
 * takes them back, so a LISTEN there would be lost) that LISTENs on the access-event channel and rings on
 * every notification. When the connection is lost (PostgreSQL restarted, a network fault) it connects
 * again, with a growing pause, LISTENs again and rings once: the outbox is then read from the last event
 * this process saw, so whatever was appended while nobody listened is delivered too (as long as it is still
 * kept in the outbox: minutes, see outboxEvents.ts).
 *
 * A notification whose payload does not parse is dropped and counted; it never rings. (Anyone with access
 * to the database can NOTIFY; a valid one only makes this process read the table, where events live.)
 */
export function createPostgresDoorbell(options: { databaseUrl: string; logger: Logger; counters: AccessEventCounters }): OutboxDoorbell {
  const { logger, counters } = options;
  const connectionString = validateDatabaseUrl(options.databaseUrl);
  let client: pg.Client | null = null;
  let stopped = false;
  let retryMs = FIRST_RETRY_MS;
  let retryTimer: NodeJS.Timeout | null = null;
  let ring: () => void = () => {};

  const onNotification = (message: pg.Notification): void => {
    if (message.channel !== ACCESS_EVENT_CHANNEL) return;
    if (parseNotification(message.payload)) return ring();
    counters.malformedNotifications += 1;
    logger.warn('access_event_notification_malformed', { bytes: message.payload?.length ?? 0 });
  };

  /** Connects and LISTENs; resolves true once listening, false (after closing what it opened) when that failed. */
  const listen = async (): Promise<boolean> => {
    const candidate = new pg.Client({ connectionString, keepAlive: true });
    // Lost later (PostgreSQL stopping sends an error, then the socket ends): start over, once.
    let lost = false;
    const onLost = (error?: Error): void => {
      if (lost) return;
      lost = true;
      if (client === candidate) client = null;
      if (stopped) return;
      logger.warn('access_event_listener_lost', error ? errorFields(error) : {});
      candidate.end().catch(() => {});
      scheduleRetry();
    };
    candidate.on('error', onLost);
    candidate.on('end', () => onLost());
    candidate.on('notification', onNotification);
    try {
      await candidate.connect();
      await candidate.query(`LISTEN ${ACCESS_EVENT_CHANNEL}`);
    } catch (error) {
      lost = true; // this attempt's own failure: the caller retries, not the listeners above
      logger.warn('access_event_listen_failed', errorFields(error));
      await candidate.end().catch(() => {});
      return false;
    }
    if (stopped) {
      await candidate.end().catch(() => {});
      return false;
    }
    client = candidate;
    retryMs = FIRST_RETRY_MS;
    return true;
  };

  const scheduleRetry = (): void => {
    if (stopped || retryTimer) return;
    retryTimer = setTimeout(() => {
      retryTimer = null;
      void listen().then((listening) => {
        if (!listening) return scheduleRetry();
        counters.listenerReconnects += 1;
        logger.info('access_event_listener_back');
        // Whatever was appended while nobody listened here is read now.
        ring();
      });
    }, retryMs);
    retryTimer.unref();
    retryMs = Math.min(retryMs * 2, MAX_RETRY_MS);
  };

  return {
    async start(onRing) {
      ring = onRing;
      if (!(await listen())) scheduleRetry();
    },
    async stop() {
      stopped = true;
      if (retryTimer) clearTimeout(retryTimer);
      retryTimer = null;
      const open = client;
      client = null;
      await open?.end().catch(() => {});
    },
  };
}

/** The payload's event number; undefined (never a throw) for anything else. */
export function parseNotification(payload: string | undefined): { seq: number } | undefined {
  if (payload === undefined) return undefined;
  try {
    const parsed = Notification.safeParse(JSON.parse(payload));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
