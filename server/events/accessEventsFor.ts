import type { Logger } from '../log.ts';
import type { OpenedStores, StoreConfig } from '../store/openStores.ts';
import type { AccessEventCounters } from './eventCounters.ts';
import { createOutboxEvents, type OutboxEvents } from './outboxEvents.ts';
import { createTimerDoorbell } from './outboxDoorbell.ts';
import { createPostgresDoorbell } from './postgresDoorbell.ts';

/**
 * The access-event port for the configured engine, the one place that knows how events travel between
 * processes. Both engines keep every event in the store's outbox (written by whichever process made the
 * change: an instance, or the ops CLI); what differs is how the others learn of it. PostgreSQL pushes
 * (LISTEN/NOTIFY, so every instance hears within milliseconds of the commit); SQLite, always one machine,
 * is looked at five times a second.
 */
export function accessEventsFor(options: {
  config: StoreConfig;
  opened: Pick<OpenedStores, 'accessEvents'>;
  origin: string;
  logger: Logger;
  counters: AccessEventCounters;
}): OutboxEvents {
  const { config, opened, origin, logger, counters } = options;
  const doorbell = config.engine === 'postgres' ? createPostgresDoorbell({ databaseUrl: config.databaseUrl, logger, counters }) : createTimerDoorbell();
  return createOutboxEvents({ store: opened.accessEvents, origin, logger, doorbell, counters });
}
