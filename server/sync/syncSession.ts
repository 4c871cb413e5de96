import { SYNC_CLOSE } from '../../shared/protocol/sync.ts';
import { errorFields } from '../log.ts';
import type { DocumentLease, DocumentRegistry } from './documentRegistry.ts';
import { encodeSyncStep1, encodeSyncStep2, isEmptyUpdate, type ClientMessage } from './messages.ts';
import type { ConnectionHandlers, SyncConnection } from './syncConnection.ts';
import type { SyncDocument } from './syncDocument.ts';

/**
 * The y-websocket protocol for one connection on one document. Messages are handled strictly in arrival
 * order, and none before the stored document has loaded: a SyncStep1 answered from an empty document
 * would tell the client the notes are empty.
 */
export function startSyncSession(connection: SyncConnection, registry: DocumentRegistry): ConnectionHandlers {
  return new SyncSession(connection, registry.acquire(connection.docName, connection));
}

/**
 * A class, with a plain queue rather than a promise chain, because there is one per connection and most
 * connections are idle: an idle session holds its connection, its lease, its document and a counter.
 */
class SyncSession implements ConnectionHandlers {
  readonly #connection: SyncConnection;
  readonly #lease: DocumentLease;
  /** Null while loading, and for good once the load or a handler failed (messages are then dropped). */
  #document: SyncDocument | null = null;
  /** Messages waiting for the load or for a step that has to wait (SyncStep1); null when none wait. */
  #waiting: ClientMessage[] | null = [];
  #droppedUpdates = 0;
  #refusedPresence = false;

  constructor(connection: SyncConnection, lease: DocumentLease) {
    this.#connection = connection;
    this.#lease = lease;
    void lease.ready.then(
      (document) => {
        this.#document = document;
        greet(connection, document);
        this.#run(document, this.#waiting?.shift());
      },
      () => {
        this.#waiting = null;
        connection.close(SYNC_CLOSE.internal, 'document unavailable');
      },
    );
  }

  message(message: ClientMessage): void {
    if (this.#waiting) {
      this.#waiting.push(message);
      return;
    }
    if (this.#document) this.#run(this.#document, message);
  }

  /**
   * Logged once per connection. The stock provider also does this innocently: when another person's state
   * times out on its side, it sends that removal on, which must not remove them for everyone.
   */
  #presenceRefused(): void {
    if (this.#refusedPresence) return;
    this.#refusedPresence = true;
    this.#connection.log('info', 'sync_presence_refused');
  }

  closed(): void {
    this.#lease.release();
    if (this.#droppedUpdates > 0) this.#connection.log('info', 'sync_readonly_updates_dropped', { count: this.#droppedUpdates });
  }

  /**
   * Handles `message`, then whatever queued behind it, synchronously until a step returns a promise; the
   * rest waits for that promise, so the order of arrival is the order of handling.
   */
  #run(document: SyncDocument, message: ClientMessage | undefined): void {
    for (; message; message = this.#waiting?.shift()) {
      if (!this.#connection.isOpen) continue;
      let step: Promise<void> | undefined;
      try {
        step = this.#handle(document, message);
      } catch (error) {
        this.#fail(error);
        continue;
      }
      if (step) {
        this.#waiting ??= [];
        void step.catch((error: unknown) => this.#fail(error)).then(() => this.#run(document, this.#waiting?.shift()));
        return;
      }
    }
    this.#waiting = null;
  }

  #fail(error: unknown): void {
    this.#document = null;
    this.#connection.log('error', 'sync_handler_failed', errorFields(error));
    this.#connection.close(SYNC_CLOSE.internal, 'internal error');
  }

  /** Undefined when the message was handled at once; a promise when its answer has to wait. */
  #handle(document: SyncDocument, message: ClientMessage): Promise<void> | undefined {
    const connection = this.#connection;
    switch (message.type) {
      case 'syncStep1':
        // Only what is stored is handed out, so a crash cannot take back what a newcomer already saw.
        return document.flushed().then(() => {
          if (connection.isOpen) connection.send(encodeSyncStep2(document.doc, message.stateVector));
        });
      case 'syncStep2':
      case 'update': {
        // What an up-to-date client answers to SyncStep1, on every connect: applying it would change
        // nothing, and would cost two Yjs transactions (the live document and its twin).
        if (isEmptyUpdate(message.update)) return;
        if (connection.mode === 'read-only') {
          // Dropped, not applied; the connection stays (a viewer's editor may still emit stray updates).
          if (this.#droppedUpdates++ === 0) connection.log('warn', 'sync_readonly_update_dropped');
          return;
        }
        if (!document.applyClientUpdate(message.update, connection)) {
          connection.log('warn', 'sync_update_rejected');
          connection.close(SYNC_CLOSE.badMessage, 'malformed update');
        }
        return;
      }
      case 'awareness':
        if (document.applyAwareness(message.update, connection) > 0) this.#presenceRefused();
        return;
      case 'queryAwareness': {
        const snapshot = document.awarenessSnapshot();
        if (snapshot) connection.send(snapshot);
        return;
      }
    }
  }
}

/**
 * The server's half of the handshake: its state vector (so the client sends what the server lacks, e.g.
 * edits made offline) and everyone's presence. A read-only client is not asked for its state: it could
 * not be applied anyway.
 */
function greet(connection: SyncConnection, document: SyncDocument): void {
  if (!connection.isOpen) return;
  if (connection.mode === 'read-write') connection.send(encodeSyncStep1(document.doc));
  const presence = document.awarenessSnapshot();
  if (presence) connection.send(presence);
}
