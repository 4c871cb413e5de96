import { SYNC_LIMITS } from './syncLimits.ts';

/**
 * The shared-space socket speaks the y-websocket protocol unchanged, so the stock `WebsocketProvider`
 * works: each binary frame starts with a varuint message type.
 */
export const SYNC_MESSAGE = {
  /** y-protocols sync: step 1 (state vector), step 2 (missing updates), update. */
  sync: 0,
  /** y-protocols awareness update (cursors, names). */
  awareness: 1,
  /** y-protocols auth; the server sends "permission denied" with a reason before closing. */
  auth: 2,
  /** Ask the other side to send its full awareness state. */
  queryAwareness: 3,
} as const;

/** URL path prefix of the sync endpoint; the document name follows: `/sync/<docName>?ticket=…`. */
export const SYNC_PATH = '/sync';

/** Query parameter that carries the sync ticket. */
export const SYNC_TICKET_PARAM = 'ticket';

/**
 * WebSocket close codes the sync server uses. 4xxx mirror HTTP statuses (as Hocuspocus does) so that a
 * refusal reads the same everywhere. The stock provider (y-websocket 3) treats 4400-4499 as final and
 * reconnects after any other close; the app's client stops on 4401/4403/4404/4409/4413/4507 and reconnects
 * after 4429 (see client/meeting/doc/syncRefusal.ts).
 */
export const SYNC_CLOSE = {
  /** Message could not be decoded, or has an unknown type. */
  badMessage: 4400,
  /** No ticket, or a ticket that is malformed, wrongly signed or expired. */
  unauthorized: 4401,
  /** A valid ticket for another document, or access was revoked while connected. */
  forbidden: 4403,
  /** No such document. */
  notFound: 4404,
  /**
   * A message, an update or a presence state beyond a limit of {@link SYNC_LIMITS} (size, structs, nesting,
   * states per connection). Sending it again cannot help: the app's client stops and says so.
   */
  tooLarge: 4413,
  /**
   * An update written as someone else: with a Yjs client id another person writes with, or naming another
   * person (or another role) as its author. Nothing of it was stored; the app's client stops and says so.
   */
  notYours: 4409,
  /** Too many messages or bytes in too short a time; reconnecting a little later is right. */
  rateLimited: 4429,
  /**
   * The document reached its size quota (`SYNC_LIMITS.maxDocumentBytes`): what is stored is kept, nothing
   * more can be added. The app's client stops and tells the person plainly.
   */
  documentFull: 4507,
  /**
   * Another server instance holds the document (several instances behind a load balancer): this one does
   * not take it from a live owner. Reconnecting is right: by then the load balancer routes to the owner, or
   * the owner handed the document over, or (if it died) its lease ran out and this instance takes it. Sent
   * with {@link SYNC_CLOSE_REASON.documentHeldElsewhere}; the stock provider reconnects after it (not 44xx).
   */
  unavailable: 4503,
  /** The server is shutting down; reconnecting later is right. */
  goingAway: 1001,
  /** Something failed on the server; nothing the client sent was applied partially. */
  internal: 4500,
} as const;
/** One of the values of {@link SYNC_CLOSE}. */
export type SyncCloseCode = (typeof SYNC_CLOSE)[keyof typeof SYNC_CLOSE];

/**
 * Reasons sent with a `forbidden` close, so that a client can tell the person what happened rather than
 * only that access is gone.
 */
export const SYNC_CLOSE_REASON = {
  /** The meeting was ended and its document sealed: show that the meeting has ended. */
  meetingEnded: 'meeting ended',
  /** The invite was revoked, or the team member taken off the network. */
  accessRevoked: 'access revoked',
  /** The network and all its documents were deleted. */
  networkDeleted: 'network deleted',
  /** The invite ran out while connected (its expiry time passed): a new link from the team is needed. */
  accessExpired: 'access expired',
  /** With `tooLarge`: the frame was over `maxMessageBytes`. */
  messageTooLarge: 'message too large',
  /** With `tooLarge`: an update with too many structs or too deeply nested content. */
  updateTooLarge: 'update too large',
  /** With `tooLarge`: a presence state too big or too deep, or too many of them for one connection. */
  presenceTooLarge: 'presence too large',
  /** With `rateLimited`: more messages per second than allowed. */
  tooManyMessages: 'too many messages',
  /** With `rateLimited`: more bytes per second than allowed. */
  tooMuchData: 'too much data',
  /** With `documentFull`. */
  documentFull: 'document full',
  /** With `notYours`: the update's Yjs client id is another person's. */
  clientOfAnother: 'client id of another person',
  /** With `notYours`: the update names another person, or another role, as its author. */
  authorOfAnother: 'written as another person',
  /**
   * With `internal`: another server instance took the document over (its writes here were fenced off). The
   * client reconnects, e.g. through the load balancer to the new owner, and sends what was not yet saved.
   */
  documentMoved: 'document moved to another server',
  /** With `unavailable`: another server instance serves the document now; reconnect. */
  documentHeldElsewhere: 'document held by another server',
} as const;

/** Default cap on one incoming frame, in bytes (configurable on the server); see {@link SYNC_LIMITS}. */
export const DEFAULT_MAX_MESSAGE_BYTES = SYNC_LIMITS.maxMessageBytes;
