import { counter, type MetricFamily } from '../metrics/prometheusText.ts';

/** What the access-event port counts about what reached it from other processes (rendered in /metrics). */
export interface AccessEventCounters {
  /** Events written by other processes and delivered here. */
  received: number;
  /** Outbox rows that did not parse as an event: dropped, never applied. */
  malformedRows: number;
  /** Database notifications whose payload did not parse: dropped, never acted on. */
  malformedNotifications: number;
  /** Times the listening connection was lost and made again (each followed by a read of what was missed). */
  listenerReconnects: number;
}

export function createAccessEventCounters(): AccessEventCounters {
  return { received: 0, malformedRows: 0, malformedNotifications: 0, listenerReconnects: 0 };
}

export function accessEventMetricFamilies(counters: AccessEventCounters): MetricFamily[] {
  return [
    counter('polyphony_access_events_received_total', 'Access events written by other processes and delivered here.', counters.received),
    counter('polyphony_access_events_malformed_total', 'Access events from the outbox that did not parse: dropped, never applied.', counters.malformedRows),
    counter(
      'polyphony_access_event_notifications_malformed_total',
      'Database notifications on the access-event channel whose payload did not parse: dropped, never acted on.',
      counters.malformedNotifications,
    ),
    counter('polyphony_access_event_listener_reconnects_total', 'Times the connection listening for access events was made again after it was lost.', counters.listenerReconnects),
  ];
}
