import type { RawData, WebSocket } from 'ws';
import { SYNC_CLOSE, type SyncCloseCode } from '../../shared/protocol/sync.ts';
import { errorFields, type Logger } from '../log.ts';
import { decodeClientMessage, type ClientMessage } from './messages.ts';
import { createTokenBucket, type RateLimit } from './rateLimiter.ts';
import type { SyncPeer } from './syncDocument.ts';

/**
 * A client socket that passed authorisation: frame checks (binary, size, rate, well-formed) happen here,
 * before anything reaches a document. A bad frame closes only this connection, with a code saying why.
 */
export interface SyncConnection extends SyncPeer {
  readonly docName: string;
  readonly mode: 'read-write' | 'read-only';
  readonly logger: Logger;
  readonly isOpen: boolean;
  /** Called by the server's heartbeat timer: terminates the socket if the previous ping got no pong. */
  heartbeat(): void;
}

/** What the layer above does with the connection's decoded messages and its end. */
export interface ConnectionHandlers {
  message: (message: ClientMessage) => void;
  /** Runs once, as soon as the connection is closing (by either side), so the document lets go at once. */
  closed(): void;
}

export interface SyncConnectionOptions {
  id: string;
  docName: string;
  mode: 'read-write' | 'read-only';
  logger: Logger;
  maxMessageBytes: number;
  rateLimit: RateLimit;
  /** The socket under `ws`, corked around `sendMany` so that several frames leave in one write. */
  socket: { cork(): void; uncork(): void };
}

/**
 * A client that does not read (a stalled tab) would make the server buffer every broadcast for it. Past
 * this it is closed with `internal` (4500), which the stock provider treats as "reconnect later".
 */
const MAX_BUFFERED_BYTES = 64 * 1024 * 1024;

export function createSyncConnection(
  ws: WebSocket,
  options: SyncConnectionOptions,
  attach: (connection: SyncConnection) => ConnectionHandlers,
): SyncConnection {
  const { logger } = options;
  const bucket = createTokenBucket(options.rateLimit);
  let open = true;
  let alive = true;

  const close = (code: SyncCloseCode, reason: string): void => {
    if (!open) return;
    open = false;
    try {
      ws.close(code, reason);
    } catch (error) {
      logger.warn('sync_close_failed', errorFields(error));
      ws.terminate();
    }
    notifyClosed();
  };
  const refuseFrame = (code: SyncCloseCode, reason: string, fields: Record<string, number> = {}): void => {
    logger.warn('sync_frame_refused', { code, reason, ...fields });
    close(code, reason);
  };

  const connection: SyncConnection = {
    id: options.id,
    docName: options.docName,
    mode: options.mode,
    logger,
    get isOpen() {
      return open;
    },
    send(message) {
      if (!open || ws.readyState !== ws.OPEN) return;
      if (ws.bufferedAmount > MAX_BUFFERED_BYTES) return refuseFrame(SYNC_CLOSE.internal, 'client too slow');
      ws.send(message, { binary: true });
    },
    sendMany(messages) {
      if (messages.length < 2) return messages.forEach((message) => connection.send(message));
      // ws writes each frame at once; corked, the frames go out in one syscall and one TCP segment.
      options.socket.cork();
      try {
        for (const message of messages) connection.send(message);
      } finally {
        options.socket.uncork();
      }
    },
    close,
    heartbeat() {
      if (!alive) {
        logger.info('sync_heartbeat_missed');
        open = false;
        ws.terminate();
        notifyClosed();
        return;
      }
      alive = false;
      if (ws.readyState === ws.OPEN) ws.ping();
    },
  };

  let handlers: ConnectionHandlers | null = null;
  let notified = false;
  function notifyClosed(): void {
    if (notified || !handlers) return;
    notified = true;
    handlers.closed();
  }
  handlers = attach(connection);
  if (!open) notifyClosed();

  ws.on('message', (data: RawData, isBinary: boolean) => {
    if (!open) return;
    try {
      if (!isBinary) return refuseFrame(SYNC_CLOSE.badMessage, 'text frame');
      const frame = ownedBytes(data);
      if (frame.byteLength > options.maxMessageBytes) {
        return refuseFrame(SYNC_CLOSE.tooLarge, 'message too large', { bytes: frame.byteLength });
      }
      if (!bucket.take()) return refuseFrame(SYNC_CLOSE.rateLimited, 'too many messages');
      const decoded = decodeClientMessage(frame);
      if (!decoded.ok) return refuseFrame(SYNC_CLOSE.badMessage, decoded.reason === 'unknown_type' ? 'unknown message type' : 'malformed message');
      handlers?.message(decoded.message);
    } catch (error) {
      logger.error('sync_message_failed', errorFields(error));
      close(SYNC_CLOSE.internal, 'internal error');
    }
  });
  ws.on('pong', () => {
    alive = true;
  });
  // Without a listener, a socket error would be thrown as an uncaught exception. ws closes the socket after it.
  ws.on('error', (error) => logger.warn('sync_socket_error', errorFields(error)));
  ws.on('close', (code: number) => {
    open = false;
    logger.info('sync_closed', { code });
    notifyClosed();
  });
  return connection;
}

/**
 * A copy in a buffer of its own: ws hands out views into pooled buffers, where a lying length prefix could
 * read bytes of other frames.
 */
function ownedBytes(data: RawData): Uint8Array {
  if (Array.isArray(data)) return new Uint8Array(Buffer.concat(data));
  if (data instanceof ArrayBuffer) return new Uint8Array(data.slice(0));
  return new Uint8Array(data);
}
