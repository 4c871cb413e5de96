import * as Y from 'yjs';
import { LOADED_STATE, type ChangeOrigin } from './origins.ts';
import { newServerDoc } from './serverDoc.ts';
import { checkLoadable } from './updateBounds.ts';

/**
 * A Y.Doc whose client updates are tried on a twin replica first.
 *
 * Why: `Y.decodeUpdate` catches malformed bytes, but a well-formed update can still make `Y.applyUpdate`
 * throw half-way (e.g. an item whose origin lies in its own client's unwritten range), after part of it was
 * integrated. Bit-flipped y-protocols output hit this for about 1 in 80 well-formed frames before
 * `checkUpdateBounds` refused the out-of-range clocks behind most of them; hand-made updates still reach
 * it (see the tests). Yjs cannot roll a transaction back, so the update goes to the twin first: if the twin throws, the twin is
 * rebuilt and the live document was never touched. If the twin succeeds the live document almost always
 * does too; in the rare case it still throws, the twin (which holds exactly "before + update") becomes the
 * live document. The twin's result is also checked to load into a fresh document before the live one
 * sees the update, so nothing stored can stop the notes from loading later, unless the result is the very
 * update the twin just applied without error (how Yjs re-encodes ordinary typing, measured at every one of
 * 3,000 bench keystrokes): replaying the stored rows applies it to the same state again, which is the check
 * the twin already made, and the probe's fresh document would cost about a third of the guard. Costs twice the memory of one
 * meeting's notes once someone writes (the twin is made on the first update), and each update is applied twice.
 */
export interface GuardedDoc {
  /** The live document. It is replaced when the twin takes over, so never keep a reference to it. */
  readonly current: Y.Doc;
  /**
   * Applies a client update, then reports each resulting Yjs update to `onUpdate` (none if nothing
   * changed). False when Yjs throws on it, or `vet` throws on the twin's result: then nothing changed and
   * nothing is reported.
   */
  apply(update: Uint8Array, origin: ChangeOrigin, vet?: TwinVet): boolean;
  destroy(): void;
}

/**
 * `senderLacksIt` is true when the result may hold more than the sender sent: the document had parts of
 * earlier updates waiting for what they refer to (Yjs "pending" structs or deletions), and this update may
 * have released them. Then the sender must get the result too, or it would never learn of those parts.
 */
/**
 * A check of the twin once it applied an update, before the live document sees it: `results` are the
 * updates Yjs reported (usually the update itself; more when it released parts held back), `applyMs` the
 * time the twin took to apply it (the live document will take about as long). Throw to refuse.
 */
export type TwinVet = (twin: Y.Doc, results: readonly Uint8Array[], applyMs: number) => void;

export type GuardedUpdateListener = (update: Uint8Array, origin: ChangeOrigin, senderLacksIt: boolean) => void;

export function createGuardedDoc(history: readonly Uint8Array[], onUpdate: GuardedUpdateListener): GuardedDoc {
  let live = newServerDoc();
  try {
    // Before anything observes the document, and marked as the store's own content: never stored again.
    live.transact(() => {
      for (const update of history) Y.applyUpdate(live, update, LOADED_STATE);
    }, LOADED_STATE);
  } catch (error) {
    live.destroy();
    throw error;
  }
  // What each replica's last apply produced; the live one's is reported only once its apply finished.
  let captured: Uint8Array[] = [];
  let twinCaptured: Uint8Array[] = [];
  const capture = (update: Uint8Array): void => void captured.push(update);
  const captureTwin = (update: Uint8Array): void => void twinCaptured.push(update);
  live.on('update', capture);
  // Made on the first update: a meeting that is only read (or not written yet) never pays for a second copy.
  let twin: Y.Doc | null = null;

  const takeOver = (replica: Y.Doc, stateBefore: Uint8Array): Uint8Array => {
    live.off('update', capture);
    live.destroy();
    live = replica;
    live.off('update', captureTwin);
    live.on('update', capture);
    twin = null;
    // The whole difference as one update; carries the full delete set, which is harmless to re-apply.
    return Y.encodeStateAsUpdate(live, stateBefore);
  };

  return {
    get current() {
      return live;
    },
    apply(update, origin, vet) {
      twinCaptured = [];
      const replica = (twin ??= replicaOf(live, captureTwin));
      try {
        const started = performance.now();
        Y.applyUpdate(replica, update, origin);
        const applyMs = performance.now() - started;
        for (const result of twinCaptured) if (Buffer.compare(result, update) !== 0) checkLoadable(result);
        vet?.(replica, twinCaptured, applyMs);
      } catch {
        replica.destroy();
        twin = null;
        return false;
      } finally {
        twinCaptured = [];
      }
      const stateBefore = Y.encodeStateVector(live);
      const hadPending = live.store.pendingStructs !== null || live.store.pendingDs !== null;
      captured = [];
      let results: Uint8Array[];
      let tookOver = false;
      try {
        Y.applyUpdate(live, update, origin);
        results = captured;
      } catch {
        results = [takeOver(replica, stateBefore)];
        tookOver = true;
      }
      captured = [];
      for (const result of results) onUpdate(result, origin, hadPending || tookOver);
      return true;
    },
    destroy() {
      live.destroy();
      twin?.destroy();
    },
  };
}

/**
 * A copy of `doc`, observed (as the live document is) because Yjs encodes an update only for observed
 * documents, and that encoding can itself throw: the twin must run the same code as the live document.
 */
function replicaOf(doc: Y.Doc, onUpdate: (update: Uint8Array) => void): Y.Doc {
  const replica = newServerDoc();
  Y.applyUpdate(replica, Y.encodeStateAsUpdate(doc), LOADED_STATE);
  replica.on('update', onUpdate);
  return replica;
}
