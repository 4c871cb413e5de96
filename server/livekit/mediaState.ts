import type { MediaAccess, MediaKey } from '../../shared/api/meetings.ts';
import { mintJoinToken } from './tokens.ts';

/** Whether video can be offered now, and how. Changes if the embedded LiveKit server dies. */
export type MediaState =
  | {
      status: 'available';
      /** Where browsers connect for signalling. */
      url: string;
      /** Where this server reaches LiveKit's API (and, in public mode, where `/rtc` is proxied to). */
      serverUrl: string;
      apiKey: string;
      apiSecret: string;
      localOnly: boolean;
      tokenTtlSeconds?: number | undefined;
    }
  | { status: 'unavailable'; reason: string; retrying?: boolean };

/** A holder the app reads on every join, so a LiveKit crash is reported to the next person who joins. */
export interface MediaStateHolder {
  get(): MediaState;
  set(state: MediaState): void;
}

export function createMediaStateHolder(initial: MediaState): MediaStateHolder {
  let state = initial;
  return { get: () => state, set: (next) => void (state = next) };
}

/**
 * What a joining participant is told about video: a token for the room and the meeting's media key, or the
 * plain reason there is none. The key goes only to the browser, beside the token, never into it.
 */
export async function mediaAccessFor(
  state: MediaState,
  participant: { roomName: string; identity: string; displayName: string; metadata: string },
  mediaKey: () => Promise<MediaKey>,
): Promise<MediaAccess> {
  if (state.status === 'unavailable') return { status: 'unavailable', reason: state.reason, ...(state.retrying ? { retrying: true } : {}) };
  const ttl = state.tokenTtlSeconds === undefined ? {} : { ttlSeconds: state.tokenTtlSeconds };
  const token = await mintJoinToken({ apiKey: state.apiKey, apiSecret: state.apiSecret, ...participant, ...ttl });
  return { status: 'available', url: state.url, token, localOnly: state.localOnly, mediaKey: await mediaKey() };
}
