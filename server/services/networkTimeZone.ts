import { isTimeZone } from '../../shared/api/timeZone.ts';
import type { NetworkRecord } from '../store/networkStore.ts';

/**
 * The server's own zone (its `TZ`, else the system's): the default for a new network, where the team works,
 * and the zone of a network made before networks had one. UTC if the runtime reports nothing usable.
 */
export function serverTimeZone(): string {
  const zone = new Intl.DateTimeFormat().resolvedOptions().timeZone;
  return zone && isTimeZone(zone) ? zone : 'UTC';
}

/** The zone a network's record gives its times in. */
export function timeZoneOf(network: Pick<NetworkRecord, 'timeZone'>): string {
  return network.timeZone && isTimeZone(network.timeZone) ? network.timeZone : serverTimeZone();
}
