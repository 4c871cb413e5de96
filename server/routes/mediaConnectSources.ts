import type { MediaState } from '../livekit/mediaState.ts';

const LOOPBACK_HOSTS: ReadonlySet<string> = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * What a page may connect to for video besides its own origin (CSP `connect-src`): the LiveKit URL this
 * instance's joins name. When that is on loopback, any loopback port of its scheme: everything then runs
 * on one machine, and in a cluster there (`npm run cluster`) each instance names its own node while a page
 * served by one instance may have its join answered by another (HAProxy balances each request), whose node
 * listens on another port. A node reachable from other machines is named exactly, as before.
 */
export function mediaConnectSources(state: MediaState): string[] {
  if (state.status !== 'available') return [];
  const url = new URL(state.url);
  return LOOPBACK_HOSTS.has(url.hostname) ? [`${url.protocol}//${url.hostname}:*`] : [state.url];
}
