import * as Y from 'yjs';
import { Awareness } from 'y-protocols/awareness';
import type { SyncCloseCode } from '../../shared/protocol/sync.ts';
import { createAwarenessRelay } from './awarenessRelay.ts';
import { encodeUpdateMessage } from './messages.ts';
import { createUpdatePersister } from './updatePersister.ts';

/** What a document needs from a connection. */
export interface SyncPeer {
  readonly id: string;
  /** Sends one frame if the connection is still open; never throws. */
  send(message: Uint8Array): void;
  close(code: SyncCloseCode, reason: string): void;
}

/**
 * Every Yjs transaction on the server carries one of these, so the update observer can tell updates to
 * persist (from a connection) from the stored history being loaded (already persisted).
 */
export type UpdateOrigin = { readonly kind: 'connection'; readonly peer: SyncPeer } | { readonly kind: 'store' };

const STORE_ORIGIN: UpdateOrigin = { kind: 'store' };

export type ApplyResult = 'applied' | 'rejected' | 'unavailable';

/** One document in memory: the Y.Doc, its presence, the connections on it, and its write path. */
export interface SyncDocument {
  readonly name: string;
  readonly doc: Y.Doc;
  readonly peers: ReadonlySet<SyncPeer>;
  addPeer(peer: SyncPeer): void;
  removePeer(peer: SyncPeer): void;
  /**
   * Applies an update already checked by `decodeClientMessage`, queues it for the store and, once stored,
   * sends it to the other peers. 'rejected' if Yjs still threw: the document is then broken (memory may
   * differ from the store) and `onBroken` runs on a microtask, after the caller has closed the sender.
   * 'unavailable' once the document is broken.
   */
  applyClientUpdate(update: Uint8Array, from: SyncPeer): ApplyResult;
  applyAwareness(update: Uint8Array, from: SyncPeer): void;
  awarenessSnapshot(): Uint8Array | null;
  /** Settles once everything applied so far is stored (or its write failed). */
  flushed(): Promise<void>;
  readonly broken: boolean;
  destroy(): void;
}

export interface SyncDocumentDeps {
  name: string;
  /** The stored history, oldest first. */
  history: readonly Uint8Array[];
  write(updates: readonly Uint8Array[]): Promise<unknown>;
  /** Memory and store may have diverged: the owner must close every connection and drop this document. */
  onBroken(cause: 'apply_failed' | 'write_failed', error: unknown): void;
}

export function createSyncDocument(deps: SyncDocumentDeps): SyncDocument {
  const doc = new Y.Doc();
  try {
    doc.transact(() => {
      for (const update of deps.history) Y.applyUpdate(doc, update, STORE_ORIGIN);
    }, STORE_ORIGIN);
  } catch (error) {
    doc.destroy();
    throw error;
  }
  const awareness = new Awareness(doc);
  // The server has no presence of its own; without this, every client would see a phantom participant.
  awareness.setLocalState(null);
  const peers = new Set<SyncPeer>();
  let broken = false;

  const breakDocument = (error: unknown): void => {
    if (broken) return;
    broken = true;
    deps.onBroken('write_failed', error);
  };
  const sendToAll = (message: Uint8Array, except: SyncPeer | null): void => {
    for (const peer of peers) if (peer !== except) peer.send(message);
  };
  // The persister's origin is the peer to leave out of the broadcast (it has the update already).
  const persister = createUpdatePersister<SyncPeer | null>({
    write: deps.write,
    afterCommit: (update, sender) => sendToAll(encodeUpdateMessage(update), sender),
    onFailure: breakDocument,
  });
  const relay = createAwarenessRelay<SyncPeer>(awareness, (message) => sendToAll(message, null));
  // Everything but the loaded history is persisted, whatever its origin, so no edit can bypass the store.
  doc.on('update', (update: Uint8Array, origin: unknown) => {
    if (origin === STORE_ORIGIN) return;
    persister.enqueue(update, isConnectionOrigin(origin) ? origin.peer : null);
  });

  return {
    name: deps.name,
    doc,
    peers,
    get broken() {
      return broken;
    },
    addPeer: (peer) => void peers.add(peer),
    removePeer(peer) {
      peers.delete(peer);
      relay.removePeer(peer);
    },
    applyClientUpdate(update, from) {
      if (broken) return 'unavailable';
      const mark = persister.mark();
      try {
        Y.applyUpdate(doc, update, { kind: 'connection', peer: from } satisfies UpdateOrigin);
        return 'applied';
      } catch (error) {
        // Yjs emits what a failed transaction did before rethrowing: withdraw it so it is never stored.
        persister.withdrawSince(mark);
        broken = true;
        queueMicrotask(() => deps.onBroken('apply_failed', error));
        return 'rejected';
      }
    },
    applyAwareness: (update, from) => relay.apply(update, from),
    awarenessSnapshot: () => relay.snapshot(),
    flushed: () => persister.flushed(),
    destroy() {
      relay.stop();
      peers.clear();
      // Also destroys the Awareness (and its timer) through the doc's 'destroy' event.
      doc.destroy();
    },
  };
}

function isConnectionOrigin(origin: unknown): origin is Extract<UpdateOrigin, { kind: 'connection' }> {
  return typeof origin === 'object' && origin !== null && 'kind' in origin && origin.kind === 'connection' && 'peer' in origin;
}
