/**
 * A setting for diagnosing networks, not for everyday use: `?ice=relay` on the meeting's address makes this
 * browser send and receive media through TURN only (`iceTransportPolicy: 'relay'`), as if every direct
 * path were blocked. It tells an IT team whether the TURN server alone gets media through. Nothing else
 * changes; without it the browser tries direct paths first, as always. It lasts until the tab is closed.
 */
export function relayOnlyRequested(search: string = window.location.search, storage: Storage = window.sessionStorage): boolean {
  // Kept for the tab's life: the app moves between pages without the query string.
  if (new URLSearchParams(search).get('ice') === 'relay') storage.setItem(RELAY_ONLY_KEY, 'relay');
  return storage.getItem(RELAY_ONLY_KEY) === 'relay';
}

const RELAY_ONLY_KEY = 'polyphony.ice';

/** The RTC options a connection starts with: no public STUN on loopback, relay-only when diagnosing. */
export function rtcConfigFor(localOnly: boolean, relayOnly: boolean): RTCConfiguration | undefined {
  if (relayOnly) return { iceTransportPolicy: 'relay' };
  // A LiveKit server on loopback hands out public STUN servers the machine cannot reach: use none.
  if (localOnly) return { iceServers: [] };
  return undefined;
}
