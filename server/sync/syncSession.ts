import { SYNC_CLOSE, SYNC_CLOSE_REASON } from '../../shared/protocol/sync.ts';
import { DocumentHeldElsewhereError } from '../cluster/documentLeases.ts';
import { errorFields } from '../log.ts';
import type { DocumentLease, DocumentRegistry } from './documentRegistry.ts';
import { encodeSyncStep1, encodeSyncStep2, isEmptyUpdate, type ClientMessage } from './messages.ts';
import type { ConnectionHandlers, Incoming, SyncConnection } from './syncConnection.ts';
import type { Admission, SyncDocument } from './syncDocument.ts';

/**
 * The y-websocket protocol for one connection on one document. Messages are handled strictly in arrival
 * order, and none before the stored document has loaded: a SyncStep1 answered from an empty document
 * would tell the client the notes are empty.
 *
 * Each message's cost (its bytes, and the main-loop time of decoding and handling it) is charged to the
 * document's budget; while the document is in debt the connection stops reading and waits (see
 * DocumentBudget), so a flooded meeting slows only itself.
 */
export function startSyncSession(connection: SyncConnection, registry: DocumentRegistry): ConnectionHandlers {
  return new SyncSession(connection, registry.acquire(connection.docName, connection));
}

type UpdateMessage = Extract<ClientMessage, { type: 'update' | 'syncStep2' }>;

/**
 * A class, with a plain queue rather than a promise chain, because there is one per connection and most
 * connections are idle: an idle session holds its connection, its lease, its document and a counter.
 */
class SyncSession implements ConnectionHandlers {
  readonly #connection: SyncConnection;
  readonly #lease: DocumentLease;
  /** Null while loading, and for good once the load or a handler failed (messages are then dropped). */
  #document: SyncDocument | null = null;
  /** Messages waiting for the load, for a step that has to wait (SyncStep1), or for the budget; null when none wait. */
  #waiting: Incoming[] | null = [];
  /** Set while the connection is paused for the document's budget. */
  #pause: NodeJS.Timeout | null = null;
  #droppedUpdates = 0;
  #refusedPresence = false;
  #throttled = false;

  constructor(connection: SyncConnection, lease: DocumentLease) {
    this.#connection = connection;
    this.#lease = lease;
    void lease.ready.then(
      (document) => {
        // A callback of a promise: what it throws would be an unhandled rejection, which ends the process.
        try {
          this.#document = document;
          this.#timed(() => greet(connection, document));
          this.#run(document, this.#waiting?.shift());
        } catch (error) {
          this.#fail(error);
        }
      },
      (error: unknown) => {
        this.#waiting = null;
        if (error instanceof DocumentHeldElsewhereError) connection.close(SYNC_CLOSE.unavailable, SYNC_CLOSE_REASON.documentHeldElsewhere);
        else connection.close(SYNC_CLOSE.internal, 'document unavailable');
      },
    );
  }

  message(incoming: Incoming): void {
    if (this.#waiting) {
      this.#waiting.push(incoming);
      return;
    }
    if (this.#document) this.#run(this.#document, incoming);
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
    if (this.#pause) clearTimeout(this.#pause);
    this.#pause = null;
    this.#waiting = null;
    this.#lease.release();
    if (this.#droppedUpdates > 0) this.#connection.log('info', 'sync_readonly_updates_dropped', { count: this.#droppedUpdates });
  }

  /**
   * Handles `incoming`, then whatever queued behind it, synchronously until a step returns a promise or
   * the document's budget runs out; the rest waits, so the order of arrival is the order of handling.
   */
  #run(document: SyncDocument, incoming: Incoming | undefined): void {
    for (; incoming; incoming = this.#waiting?.shift()) {
      if (!this.#connection.isOpen) continue;
      const waitMs = this.#lease.budget.waitMs();
      if (waitMs > 0) return this.#pauseFor(waitMs, document, incoming);
      let step: Promise<void> | undefined;
      const started = performance.now();
      try {
        const message = this.#connection.decode(incoming.frame);
        if (message) step = this.#handle(document, message);
      } catch (error) {
        this.#fail(error);
        continue;
      } finally {
        this.#lease.budget.charge(incoming.bytes, performance.now() - started);
      }
      if (step) {
        this.#waiting ??= [];
        void step.catch((error: unknown) => this.#fail(error)).then(() => this.#resume(document));
        return;
      }
    }
    this.#waiting = null;
  }

  #resume(document: SyncDocument): void {
    try {
      this.#run(document, this.#waiting?.shift());
    } catch (error) {
      this.#fail(error);
    }
  }

  /** Stops reading this connection until the document's debt is paid; `incoming` is handled first then. */
  #pauseFor(waitMs: number, document: SyncDocument, incoming: Incoming): void {
    (this.#waiting ??= []).unshift(incoming);
    this.#connection.pauseReading();
    if (!this.#throttled) {
      this.#throttled = true;
      this.#connection.log('info', 'sync_doc_throttled', { waitMs });
    }
    // A timer: whatever resuming throws ends with this connection (see #resume), never in the process.
    this.#pause = setTimeout(() => {
      this.#pause = null;
      try {
        this.#connection.resumeReading();
      } catch (error) {
        this.#fail(error);
        return;
      }
      this.#resume(document);
    }, waitMs);
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
      case 'syncStep1': {
        // Only what is stored is handed out, so a crash cannot take back what a newcomer already saw: the
        // answer is the document as it is now, sent once all of it is stored. Encoded once the wait was over,
        // it also held what others wrote meanwhile, still on its way to the store, which a restart of
        // PostgreSQL could then fail (flushed() covers only what was applied before it was called).
        const answer = encodeSyncStep2(document.doc, message.stateVector);
        return document.flushed().then(() => {
          if (connection.isOpen && !document.broken) this.#sendCharged(() => answer);
        });
      }
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
        const admission = document.admit(message.update.byteLength);
        if (typeof admission === 'string') return this.#applyUpdate(document, message, admission);
        return admission.then((admitted) => this.#timed(() => this.#applyUpdate(document, message, admitted)));
      }
      case 'awareness': {
        const outcome = document.applyAwareness(message.update, connection);
        if (outcome.refusedOthers > 0) this.#presenceRefused();
        if (outcome.overLimit === 'connection') connection.close(SYNC_CLOSE.tooLarge, SYNC_CLOSE_REASON.presenceTooLarge);
        else if (outcome.overLimit === 'document') this.#presenceRefused();
        return;
      }
      case 'queryAwareness':
        this.#sendCharged(() => document.awarenessSnapshot());
        return;
    }
  }

  #applyUpdate(document: SyncDocument, message: UpdateMessage, admission: Admission): undefined {
    const connection = this.#connection;
    if (!connection.isOpen) return;
    if (admission === 'full') {
      connection.log('warn', 'sync_doc_full');
      connection.close(SYNC_CLOSE.documentFull, SYNC_CLOSE_REASON.documentFull);
      return;
    }
    const outcome = document.applyClientUpdate(message.update, connection, message.shape);
    if (outcome === 'applied') return;
    connection.log('warn', 'sync_update_rejected', { outcome });
    if (outcome === 'tooLarge') connection.close(SYNC_CLOSE.tooLarge, SYNC_CLOSE_REASON.updateTooLarge);
    else if (outcome === 'clientOfAnother') connection.close(SYNC_CLOSE.notYours, SYNC_CLOSE_REASON.clientOfAnother);
    else if (outcome === 'authorOfAnother') connection.close(SYNC_CLOSE.notYours, SYNC_CLOSE_REASON.authorOfAnother);
    else connection.close(SYNC_CLOSE.badMessage, 'malformed update');
  }

  /** An answer to the client: what it costs to make and send is the document's too. */
  #sendCharged(encode: () => Uint8Array | null): void {
    const started = performance.now();
    const message = encode();
    if (message) this.#connection.send(message);
    this.#lease.budget.charge(message?.byteLength ?? 0, performance.now() - started);
  }

  /** Work done after a wait (not inside `#run`'s measurement) is charged here. */
  #timed<T>(work: () => T): T {
    const started = performance.now();
    try {
      return work();
    } finally {
      this.#lease.budget.charge(0, performance.now() - started);
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
