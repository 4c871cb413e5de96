import { WebSocket, type RawData } from 'ws';
import { SYNC_CLOSE, SYNC_CLOSE_REASON, type SyncCloseCode } from '../../shared/protocol/sync.ts';
import type { SyncLimits } from '../../shared/protocol/syncLimits.ts';
import { errorFields, type LogFields, type Logger, type LogLevel } from '../log.ts';
import { decodeClientMessage, type ClientMessage, type DecodeResult } from './messages.ts';
import type { RateBuckets, SubjectRates } from './subjectRates.ts';
import type { WriterIdentity } from './authorClaims.ts';
import type { SyncPeer } from './syncDocument.ts';

/**
 * A client socket that passed authorisation: frame checks (binary, size, rate, well-formed) happen here,
 * before anything reaches a document. A bad frame closes only this connection, with a code saying why.
 */
export interface SyncConnection extends SyncPeer {
  readonly docName: string;
  readonly mode: 'read-write' | 'read-only';
  /** Who the ticket was for; revocation closes by subject. */
  readonly subject: string;
  readonly isOpen: boolean;
  /** Writes a line carrying this connection's `conn`, `docName` and `subject` fields. */
  log(level: LogLevel, event: string, fields?: LogFields): void;
  /** Called by the server's heartbeat timer: terminates the socket if the previous ping got no pong. */
  heartbeat(): void;
  /** Stops reading from the socket (the kernel holds what the client sends meanwhile); idempotent. */
  pauseReading(): void;
  resumeReading(): void;
  /**
   * Decodes a frame this connection received, within the limits; on bad input closes the connection with
   * the code saying why and returns null. Done when the frame's turn comes, not on arrival, so that a
   * document in debt does not pay for decoding what waits.
   */
  decode(frame: Uint8Array): ClientMessage | null;
}

/** A frame that passed the size and rate checks, waiting for its turn to be decoded and handled. */
export interface Incoming {
  readonly frame: Uint8Array;
  readonly bytes: number;
}

/** What the layer above does with the connection's decoded messages and its end. */
export interface ConnectionHandlers {
  message(incoming: Incoming): void;
  /** Runs once, as soon as the connection is closing (by either side), so the document lets go at once. */
  closed(): void;
}

/**
 * What every connection of one server shares. Held once per server rather than captured per connection:
 * an idle connection should cost its socket and little else.
 */
export interface ConnectionContext {
  readonly logger: Logger;
  readonly limits: SyncLimits;
  /** Per person: what their connections may send together. */
  readonly rates: SubjectRates;
  /** Starts the layer above for a new connection. */
  attach(connection: SyncConnection): ConnectionHandlers;
  /** The connection is closing; runs once, before the layer above hears of it. */
  detach(connection: SyncConnection): void;
}

export interface SyncConnectionOptions {
  id: string;
  docName: string;
  mode: 'read-write' | 'read-only';
  subject: string;
  /** Whom its updates are written as (see SyncPeer). */
  writer: WriterIdentity;
  /** The socket under `ws`, corked around `sendMany` so that several frames leave in one write. */
  socket: { cork(): void; uncork(): void };
}

/**
 * ws's socket class with a slot for its connection. ws reports frames, pongs, errors and the end by
 * emitting events on the socket; the connection takes them here, first, so that no listener is registered
 * per socket (four listeners cost each socket an event table of its own). Listeners, if any, still hear
 * every event afterwards. Give this class to the WebSocketServer as `WebSocket`.
 */
export class SyncSocket extends WebSocket {
  connection: Connection | null = null;

  override emit(event: string | symbol, ...args: unknown[]): boolean {
    const connection = this.connection;
    if (connection) {
      const [first, second] = args;
      // Whatever a connection's handling throws ends here, with this connection: these events come from
      // ws's socket callbacks, where an exception would be uncaught and end the process.
      try {
        switch (event) {
          case 'message':
            if (isRawData(first)) connection.receive(first, second === true);
            break;
          case 'pong':
            connection.answeredPing();
            break;
          case 'error':
            // Handled: without this, an 'error' with no listener would be thrown as an uncaught exception.
            connection.log('warn', 'sync_socket_error', errorFields(first));
            return this.listenerCount('error') > 0 ? super.emit(event, ...args) : true;
          case 'close':
            connection.socketClosed(typeof first === 'number' ? first : 1006);
            break;
        }
      } catch (error) {
        connection.failed(error);
      }
    }
    return super.emit(event, ...args);
  }
}

function isRawData(value: unknown): value is RawData {
  return Buffer.isBuffer(value) || value instanceof ArrayBuffer || Array.isArray(value);
}

/**
 * A client that does not read (a stalled tab) would make the server buffer every broadcast for it. Past
 * this it is closed with `internal` (4500), which the stock provider treats as "reconnect later".
 */
const MAX_BUFFERED_BYTES = 64 * 1024 * 1024;

const BINARY = { binary: true } as const;

export function createSyncConnection(ws: SyncSocket, options: SyncConnectionOptions, context: ConnectionContext): SyncConnection {
  const connection = new Connection(ws, options, context);
  ws.connection = connection;
  connection.attach();
  return connection;
}

/**
 * A class rather than a closure-built object because there is one per connection: its methods live once
 * on the prototype, where a factory would allocate a dozen closures and contexts for every client.
 */
class Connection implements SyncConnection {
  readonly id: string;
  readonly docName: string;
  readonly mode: 'read-write' | 'read-only';
  readonly subject: string;
  readonly writer: WriterIdentity;
  readonly #ws: SyncSocket;
  readonly #socket: { cork(): void; uncork(): void };
  readonly #context: ConnectionContext;
  readonly #rates: RateBuckets;
  #handlers: ConnectionHandlers | null = null;
  #open = true;
  #alive = true;
  #notified = false;

  constructor(ws: SyncSocket, options: SyncConnectionOptions, context: ConnectionContext) {
    this.id = options.id;
    this.docName = options.docName;
    this.mode = options.mode;
    this.subject = options.subject;
    this.writer = options.writer;
    this.#ws = ws;
    this.#socket = options.socket;
    this.#context = context;
    this.#rates = context.rates.acquire(options.subject);
  }

  get isOpen(): boolean {
    return this.#open;
  }

  attach(): void {
    this.#handlers = this.#context.attach(this);
    if (!this.#open) this.#notifyClosed();
  }

  log(level: LogLevel, event: string, fields?: LogFields): void {
    // Built per line rather than kept as a child logger: lines are rare, connections are many.
    this.#context.logger[level](event, { conn: this.id, docName: this.docName, subject: this.subject, ...fields });
  }

  send(message: Uint8Array): void {
    const ws = this.#ws;
    if (!this.#open || ws.readyState !== WebSocket.OPEN) return;
    if (ws.bufferedAmount > MAX_BUFFERED_BYTES) return this.#refuseFrame(SYNC_CLOSE.internal, 'client too slow');
    ws.send(message, BINARY);
  }

  sendMany(messages: readonly Uint8Array[]): void {
    if (messages.length < 2) return messages.forEach((message) => this.send(message));
    // ws writes each frame at once; corked, the frames go out in one syscall and one TCP segment.
    this.#socket.cork();
    try {
      for (const message of messages) this.send(message);
    } finally {
      this.#socket.uncork();
    }
  }

  close(code: SyncCloseCode, reason: string): void {
    if (!this.#open) return;
    this.#open = false;
    try {
      // A throttled connection is paused: unpaused, it reads the client's answering close frame and ends at
      // once; paused, it would wait out ws's 30 s close timeout, and the client would wait as long before it
      // reconnects (found by the PostgreSQL restart trials). What it reads now is dropped: it is no longer open.
      if (this.#ws.isPaused) this.#ws.resume();
      this.#ws.close(code, reason);
    } catch (error) {
      this.log('warn', 'sync_close_failed', errorFields(error));
      this.#ws.terminate();
    }
    this.#notifyClosed();
  }

  /** A fault in this connection's handling: closed, logged, and nothing else touched. Never throws. */
  failed(error: unknown): void {
    try {
      this.log('error', 'sync_connection_failed', errorFields(error));
      if (this.#open) this.close(SYNC_CLOSE.internal, 'internal error');
      else this.#ws.terminate();
    } catch {
      // Closing failed as well: the socket is beyond help, and the fault was logged if it could be.
    }
  }

  pauseReading(): void {
    if (this.#open && !this.#ws.isPaused) this.#ws.pause();
  }

  resumeReading(): void {
    if (this.#open && this.#ws.isPaused) this.#ws.resume();
  }

  heartbeat(): void {
    if (!this.#alive) {
      this.log('info', 'sync_heartbeat_missed');
      this.#open = false;
      this.#ws.terminate();
      this.#notifyClosed();
      return;
    }
    this.#alive = false;
    if (this.#ws.readyState === WebSocket.OPEN) this.#ws.ping();
  }

  receive(data: RawData, isBinary: boolean): void {
    if (!this.#open) return;
    try {
      if (!isBinary) return this.#refuseFrame(SYNC_CLOSE.badMessage, 'text frame');
      const frame = ownedBytes(data);
      const { limits } = this.#context;
      const bytes = frame.byteLength;
      if (bytes > limits.maxMessageBytes) return this.#refuseFrame(SYNC_CLOSE.tooLarge, SYNC_CLOSE_REASON.messageTooLarge, { bytes });
      if (!this.#rates.messages.take()) return this.#refuseFrame(SYNC_CLOSE.rateLimited, SYNC_CLOSE_REASON.tooManyMessages);
      if (!this.#rates.bytes.take(bytes)) return this.#refuseFrame(SYNC_CLOSE.rateLimited, SYNC_CLOSE_REASON.tooMuchData, { bytes });
      this.#handlers?.message({ frame, bytes });
    } catch (error) {
      this.log('error', 'sync_message_failed', errorFields(error));
      this.close(SYNC_CLOSE.internal, 'internal error');
    }
  }

  decode(frame: Uint8Array): ClientMessage | null {
    const decoded = decodeClientMessage(frame, this.#context.limits);
    if (decoded.ok) return decoded.message;
    this.#refuseFrame(...refusalOf(decoded), { bytes: frame.byteLength });
    return null;
  }

  answeredPing(): void {
    this.#alive = true;
  }

  socketClosed(code: number): void {
    this.#open = false;
    this.log('info', 'sync_closed', { code });
    this.#notifyClosed();
  }

  #refuseFrame(code: SyncCloseCode, reason: string, fields?: Record<string, number>): void {
    this.log('warn', 'sync_frame_refused', { code, reason, ...fields });
    this.close(code, reason);
  }

  #notifyClosed(): void {
    const handlers = this.#handlers;
    if (this.#notified || !handlers) return;
    this.#notified = true;
    this.#context.rates.release(this.subject);
    // Called from close(), which anyone may call (a revocation, a document's fault): its callers must not
    // have to survive what the layers above throw while letting go.
    try {
      this.#context.detach(this);
      handlers.closed();
    } catch (error) {
      this.log('error', 'sync_release_failed', errorFields(error));
    }
  }
}

function refusalOf(decoded: Extract<DecodeResult, { ok: false }>): [SyncCloseCode, string] {
  switch (decoded.reason) {
    case 'unknown_type':
      return [SYNC_CLOSE.badMessage, 'unknown message type'];
    case 'malformed':
      return [SYNC_CLOSE.badMessage, 'malformed message'];
    case 'too_large':
      return [SYNC_CLOSE.tooLarge, decoded.what === 'update' ? SYNC_CLOSE_REASON.updateTooLarge : SYNC_CLOSE_REASON.presenceTooLarge];
  }
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
