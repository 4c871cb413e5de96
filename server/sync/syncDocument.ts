import * as Y from 'yjs';
import { Awareness } from 'y-protocols/awareness';
import type { SyncCloseCode } from '../../shared/protocol/sync.ts';
import type { SyncLimits } from '../../shared/protocol/syncLimits.ts';
import type { ClientBinding } from '../store/docLog.ts';
import { namesOnlyWriter, type WriterIdentity } from './authorClaims.ts';
import { claimsOnlyOwnAuthorship } from './authorshipClaims.ts';
import { createAwarenessRelay, type PendingPresence, type PresenceOutcome } from './awarenessRelay.ts';
import { ClientBindings } from './clientBindings.ts';
import { checkConflictScan } from './conflictScan.ts';
import { createGuardedDoc, type TwinVet } from './guardedDoc.ts';
import { encodeUpdateMessage } from './messages.ts';
import { clientEdit, mustStore, REMOTE_EDIT } from './origins.ts';
import { newServerDoc } from './serverDoc.ts';
import { checkContentDepth, checkUpdateBounds, UpdateTooLargeError, type UpdateShape } from './updateBounds.ts';
import { createUpdatePersister, type Queued } from './updatePersister.ts';

/** What a document needs from a connection. */
export interface SyncPeer {
  readonly id: string;
  /** Whom the connection acts for (from its ticket): presence states may pass only within one subject. */
  readonly subject: string;
  /** The participant the server authenticated: every update is written as them (see clientBindings, authorClaims). */
  readonly writer: WriterIdentity;
  /** Sends one frame if the connection is still open; never throws. */
  send(message: Uint8Array): void;
  /** Sends frames in order, in as few writes as the transport allows; never throws. */
  sendMany(messages: readonly Uint8Array[]): void;
  close(code: SyncCloseCode, reason: string): void;
}

/** One document in memory: the Y.Doc, its presence, the connections on it, and its write path. */
export interface SyncDocument {
  readonly name: string;
  /** The live Y.Doc; read it afresh each time (see GuardedDoc). */
  readonly doc: Y.Doc;
  readonly peers: ReadonlySet<SyncPeer>;
  addPeer(peer: SyncPeer): void;
  removePeer(peer: SyncPeer): void;
  /**
   * Whether an update of `bytes` still fits the document's quota: a promise when the stored log is being
   * compacted first to make room (text written and deleted again takes none once compacted).
   */
  admit(bytes: number): Admission | Promise<Admission>;
  /**
   * Applies an update already checked by `decodeClientMessage`, queues what it changed for the store and,
   * once stored, sends that to the other peers. Otherwise nothing changed: `malformed` when Yjs refused it,
   * `tooLarge` when its content would nest too deeply, `clientOfAnother` when it brings content of a Yjs
   * client id another participant writes with, `authorOfAnother` when it names another as its author.
   */
  applyClientUpdate(update: Uint8Array, from: SyncPeer, shape: UpdateShape): UpdateOutcome;
  /**
   * Applies an update another instance applied and stored (see RemoteEdit): sent to every peer here, not
   * stored again. False when Yjs refused it (nothing changed then).
   */
  applyRemoteUpdate(update: Uint8Array): boolean;
  /** Applies a presence update within the limits (see {@link PresenceOutcome}). */
  applyAwareness(update: Uint8Array, from: SyncPeer): PresenceOutcome;
  awarenessSnapshot(): Uint8Array | null;
  /** Settles once everything applied so far is stored (or its write failed). */
  flushed(): Promise<void>;
  /** Stores nothing applied from now on until `until` has settled (see UpdatePersister.hold). */
  holdWrites(until: Promise<unknown>): void;
  /** True once a write failed: memory is ahead of the store, and the owner is dropping the document. */
  readonly broken: boolean;
  destroy(): void;
}

export type Admission = 'ok' | 'full';

export type UpdateOutcome = 'applied' | 'malformed' | 'tooLarge' | 'clientOfAnother' | 'authorOfAnother';

/** The document's stored log, as far as its quota is concerned (see StoredLog). */
export interface DocumentStorage {
  readonly bytes: number;
  readonly compactable: boolean;
  compact(): Promise<unknown>;
}

export interface SyncDocumentDeps {
  name: string;
  /** The stored history, oldest first. */
  history: readonly Uint8Array[];
  /** The stored client-id bindings (see ClientBindings); none when absent. */
  clients?: readonly ClientBinding[] | undefined;
  /** Commits updates, and the client ids they were the first to bring, in one transaction. */
  write: (updates: readonly Uint8Array[], clients: readonly ClientBinding[]) => Promise<unknown>;
  /** The server's clock, for when a client id was first seen. */
  now?: () => Date;
  storage: DocumentStorage;
  limits: Pick<SyncLimits, 'maxDocumentBytes' | 'maxContentDepth' | 'maxUpdateMs' | 'maxConflictScan' | 'presence'>;
  /** A write failed: the owner must close every connection and drop this document. */
  onWriteFailed(error: unknown): void;
  /**
   * Checks a client's update on the twin before the live document sees it (the live one is the state before
   * it); throws to refuse it as malformed. For what only the server may write (the layout version).
   */
  checkTwin?: (twin: Y.Doc, live: Y.Doc) => void;
  /**
   * Something of this document failed outside any connection's message (its presence timer, its
   * broadcast): the owner closes its connections and drops it. Must not throw.
   */
  onFault(error: unknown): void;
}

/** Updates from this many structs and delete ranges up are refused when the twin took too long (maxUpdateMs). */
const TIMED_UPDATE_PARTS = 1_000;

export function createSyncDocument(deps: SyncDocumentDeps): SyncDocument {
  const peers = new Set<SyncPeer>();
  let broken = false;
  const sendToAll = (message: Uint8Array, except: SyncPeer | null): void => {
    for (const peer of peers) if (peer !== except) peer.send(message);
  };
  // Each peer gets what one write committed, except its own updates (it has them already), and the presence
  // changes waiting to go out: typing moves a cursor too, and both then travel in one write per peer. The
  // typist is spared its own cursor back, mostly (see OWN_ECHO_EVERY_MS).
  const broadcastCommitted = (committed: readonly Queued<SyncPeer | null>[]): void => {
    const frames = committed.map(({ update, origin }) => ({ message: encodeUpdateMessage(update), sender: origin }));
    let presence: PendingPresence<SyncPeer> | null = null;
    try {
      presence = relay.takePending();
    } catch (error) {
      // The updates are stored and must still go out; only presence is given up, with the document.
      deps.onFault(error);
    }
    for (const peer of peers) {
      const messages = frames.filter((frame) => frame.sender !== peer).map((frame) => frame.message);
      if (presence && presence.notFor !== peer) messages.push(presence.message);
      if (messages.length > 0) peer.sendMany(messages);
    }
  };

  // Bytes applied but not yet handed to the store: with the store's own count, what the quota is checked
  // against, so that a burst of updates handled in one turn cannot all slip under it.
  let queuedBytes = 0;
  const bindings = new ClientBindings(deps.clients ?? []);
  // Client ids bound by updates not yet handed to the store: they go with the next update queued, so that
  // a binding is committed with (or before) the first stored content of its client id.
  let unsavedBindings: ClientBinding[] = [];
  const now = deps.now ?? (() => new Date());
  // The persister's origin is the peer to leave out of the broadcast: it has the update already (unless the
  // update released parts held back for it; then everyone gets it, see GuardedUpdateListener).
  const persister = createUpdatePersister<SyncPeer | null>({
    write: (batch, clients) => {
      for (const update of batch) queuedBytes -= update.byteLength;
      return deps.write(batch, clients);
    },
    afterCommit: (committed) => broadcastCommitted(committed),
    onFailure: (error) => {
      if (broken) return;
      broken = true;
      deps.onWriteFailed(error);
    },
  });
  const guarded = createGuardedDoc(deps.history, (update, origin, senderLacksIt) => {
    // Stored by the instance it came from (durable before it left there): only passed on.
    if (!mustStore(origin)) return sendToAll(encodeUpdateMessage(update), null);
    queuedBytes += update.byteLength;
    const clients = unsavedBindings;
    unsavedBindings = [];
    persister.enqueue(update, origin.kind === 'client' && !senderLacksIt ? origin.peer : null, clients);
  });
  // Presence lives beside the notes, not in them: its own tiny doc, so replacing the live doc leaves it be.
  const awareness = new Awareness(newServerDoc());
  // The server has no presence of its own; without this, every client would see a phantom participant.
  awareness.setLocalState(null);
  const relay = createAwarenessRelay<SyncPeer>(awareness, {
    broadcast: (message, except) => sendToAll(message, except),
    writeInFlight: () => persister.writing(),
    onFault: (error) => deps.onFault(error),
    limits: deps.limits.presence,
  });
  const { maxDocumentBytes, maxContentDepth, maxUpdateMs, maxConflictScan } = deps.limits;
  const fits = (bytes: number): Admission => (deps.storage.bytes + queuedBytes + bytes <= maxDocumentBytes ? 'ok' : 'full');

  return {
    name: deps.name,
    get doc() {
      return guarded.current;
    },
    peers,
    get broken() {
      return broken;
    },
    addPeer: (peer) => void peers.add(peer),
    removePeer(peer) {
      peers.delete(peer);
      relay.removePeer(peer);
    },
    admit(bytes) {
      if (fits(bytes) === 'ok') return 'ok';
      // Updates still on their way to the store count too, and can be compacted once they are there.
      if (!deps.storage.compactable && queuedBytes === 0) return 'full';
      return persister
        .flushed()
        .then(() => deps.storage.compact())
        .then(() => fits(bytes));
    },
    applyClientUpdate(update, from, shape) {
      // Not applied, not refused: the connection is being closed with `internal`, and the client resends it.
      if (broken) return 'applied';
      const origin = clientEdit(from);
      const live = guarded.current;
      const claimed = bindings.check(live, shape.structs, from.writer.id, now().toISOString());
      if ('refused' in claimed) return 'clientOfAnother';
      if (!namesOnlyWriter(live, shape.structs, from.writer)) return 'authorOfAnother';
      const ownsClient = (clientId: number): boolean => bindings.ownerOf(clientId) === from.writer.id || claimed.fresh.some((binding) => binding.clientId === clientId);
      if (!claimsOnlyOwnAuthorship(live, shape.structs, from.writer.id, ownsClient)) return 'authorOfAnother';
      if (!conflictsWithin(live, shape, maxConflictScan)) return 'tooLarge';
      let tooLarge = false;
      const vet: TwinVet = (twin, results, applyMs) => {
        try {
          // Measured on the twin: the live document would take as long again. Only for large updates: a
          // small one is bounded by the checks above, and its time is then mostly a pause of the process
          // (garbage collection, the machine's other work), which must not refuse someone's keystroke.
          if (applyMs > maxUpdateMs && shape.parts >= TIMED_UPDATE_PARTS) throw new UpdateTooLargeError('update too costly to apply');
          checkContentDepth(twin, shape.nestedTypes, maxContentDepth);
          deps.checkTwin?.(twin, guarded.current);
          // Parts held back until now (Yjs "pending") are in the results only: their types are checked too.
          for (const result of results) if (Buffer.compare(result, update) !== 0) checkContentDepth(twin, checkUpdateBounds(result).nestedTypes, maxContentDepth);
        } catch (error) {
          tooLarge = error instanceof UpdateTooLargeError;
          throw error;
        }
      };
      // Bound before applying: what the apply reports is queued with these bindings (see the listener).
      bindings.bind(claimed.fresh);
      unsavedBindings.push(...claimed.fresh);
      if (guarded.apply(update, origin, vet)) return 'applied';
      // Nothing changed: the update's client ids are not this writer's after all.
      bindings.unbind(claimed.fresh);
      unsavedBindings = unsavedBindings.filter((binding) => !claimed.fresh.includes(binding));
      return tooLarge ? 'tooLarge' : 'malformed';
    },
    applyRemoteUpdate: (update) => !broken && guarded.apply(update, REMOTE_EDIT),
    applyAwareness: (update, from) => relay.apply(update, from),
    awarenessSnapshot: () => relay.snapshot(),
    flushed: () => persister.flushed(),
    holdWrites: (until) => persister.hold(until),
    destroy() {
      relay.stop();
      peers.clear();
      awareness.doc.destroy(); // destroys the Awareness and its timer too
      guarded.destroy();
    },
  };
}

/**
 * Whether placing the update's structs, and the waiting ones it may release, stays within the scan budget
 * (see conflictScan). Read from the live document, which holds what the twin holds.
 */
function conflictsWithin(doc: Y.Doc, shape: UpdateShape, maxSteps: number): boolean {
  try {
    checkConflictScan(doc, shape.structs, maxSteps);
    const pending = doc.store.pendingStructs;
    // Yjs keeps what waits in its v2 encoding, whichever encoding the updates came in. Read as v1 it threw
    // once two clients had parts waiting, on every update to the document, until the document was dropped.
    if (pending) checkConflictScan(doc, Y.decodeUpdateV2(pending.update).structs, maxSteps);
    return true;
  } catch (error) {
    if (error instanceof UpdateTooLargeError) return false;
    throw error;
  }
}
