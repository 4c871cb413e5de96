import * as Y from 'yjs';

/**
 * A Y.Doc whose client updates are tried on a twin replica first.
 *
 * Why: `Y.decodeUpdate` catches malformed bytes, but a well-formed update can still make `Y.applyUpdate`
 * throw half-way (e.g. an origin pointing into a range the document does not hold), after part of it was
 * integrated. Fuzzing real y-protocols output with bit flips hit this for about 1 in 80 well-formed frames.
 * Yjs cannot roll a transaction back, so the update goes to the twin first: if the twin throws, the twin is
 * rebuilt and the live document was never touched. If the twin succeeds the live document almost always
 * does too; in the rare case it still throws, the twin (which holds exactly "before + update") becomes the
 * live document. Costs twice the memory of one meeting's notes, and each update is applied twice.
 */
export interface GuardedDoc {
  /** The live document. It is replaced when the twin takes over, so never keep a reference to it. */
  readonly current: Y.Doc;
  /**
   * Applies a client update, then reports each resulting Yjs update to `onUpdate` (none if nothing
   * changed). False when Yjs throws on it: then nothing changed and nothing is reported.
   */
  apply(update: Uint8Array, origin: unknown): boolean;
  destroy(): void;
}

export function createGuardedDoc(
  history: readonly Uint8Array[],
  onUpdate: (update: Uint8Array, origin: unknown) => void,
): GuardedDoc {
  let live = new Y.Doc();
  try {
    live.transact(() => {
      for (const update of history) Y.applyUpdate(live, update);
    });
  } catch (error) {
    live.destroy();
    throw error;
  }
  let twin = replicaOf(live);

  // Updates of the live document are held until the apply finished, so a half-applied one is never reported.
  let captured: Uint8Array[] = [];
  const capture = (update: Uint8Array): void => void captured.push(update);
  live.on('update', capture);

  const takeOver = (stateBefore: Uint8Array): Uint8Array => {
    live.off('update', capture);
    live.destroy();
    live = twin;
    live.on('update', capture);
    twin = replicaOf(live);
    // The whole difference as one update; carries the full delete set, which is harmless to re-apply.
    return Y.encodeStateAsUpdate(live, stateBefore);
  };

  return {
    get current() {
      return live;
    },
    apply(update, origin) {
      try {
        Y.applyUpdate(twin, update);
      } catch {
        twin.destroy();
        twin = replicaOf(live);
        return false;
      }
      const stateBefore = Y.encodeStateVector(live);
      captured = [];
      let results: Uint8Array[];
      try {
        Y.applyUpdate(live, update, origin);
        results = captured;
      } catch {
        results = [takeOver(stateBefore)];
      }
      captured = [];
      for (const result of results) onUpdate(result, origin);
      return true;
    },
    destroy() {
      live.destroy();
      twin.destroy();
    },
  };
}

function replicaOf(doc: Y.Doc): Y.Doc {
  const replica = new Y.Doc();
  // Yjs encodes an update only for observed documents, and that encoding can itself throw (a zero-length
  // delete range): the twin must run the same code path as the live document.
  replica.on('update', () => {});
  Y.applyUpdate(replica, Y.encodeStateAsUpdate(doc));
  return replica;
}
