import { AccessToken, type VideoGrant } from 'livekit-server-sdk';

/**
 * A join token only has to outlast connecting: once in, LiveKit refreshes it itself. Short, because a token
 * cannot be revoked: one copied before its holder lost access works until it expires (and whoever joins
 * with it meanwhile is removed again by the media gate, on LiveKit's participant_joined webhook).
 */
const DEFAULT_TTL_SECONDS = 2 * 60;

export interface JoinTokenOptions {
  apiKey: string;
  apiSecret: string;
  roomName: string;
  identity: string;
  displayName: string;
  /** Participant metadata as LiveKit carries it (a string; the shape lives in shared/media). */
  metadata: string;
  /** Default 2 minutes (see DEFAULT_TTL_SECONDS). */
  ttlSeconds?: number;
}

/**
 * A token to join one room as an ordinary, visible participant. Every grant that matters for trust is
 * spelled out rather than left to LiveKit's defaults: in an Open Dialogue meeting nobody listens unseen
 * (hidden), nothing is recorded (recorder, roomRecord), and no participant can manage the room or others.
 */
export async function mintJoinToken(options: JoinTokenOptions): Promise<string> {
  // The SDK quietly falls back to LIVEKIT_API_KEY/SECRET from the environment for an empty key, and to a
  // six-hour lifetime for a zero TTL; both would hide a bug, so refuse them.
  if (!options.apiKey || !options.apiSecret) throw new Error('mintJoinToken needs an API key and secret');
  const ttl = options.ttlSeconds ?? DEFAULT_TTL_SECONDS;
  if (!Number.isInteger(ttl) || ttl <= 0) throw new RangeError(`ttlSeconds must be a positive whole number, got ${ttl}`);
  const token = new AccessToken(options.apiKey, options.apiSecret, {
    identity: options.identity,
    name: options.displayName,
    metadata: options.metadata,
    ttl,
  });
  token.addGrant(joinGrant(options.roomName));
  return token.toJwt();
}

function joinGrant(roomName: string): VideoGrant {
  return {
    room: roomName,
    roomJoin: true,
    canPublish: true,
    canSubscribe: true,
    canPublishData: true,
    hidden: false,
    recorder: false,
    roomRecord: false,
    roomAdmin: false,
    roomCreate: false,
    roomList: false,
    ingressAdmin: false,
    // Name and metadata come from the join form via the server, so people cannot rename themselves unseen.
    canUpdateOwnMetadata: false,
    agent: false,
  };
}
