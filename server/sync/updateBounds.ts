import * as Y from 'yjs';

/**
 * Highest clock an update may reach. Real clocks count one client's insertions (far below this); a
 * corrupted one near 2^53 would be stored, then make every later reader throw "Integer out of Range" on
 * the document's state vector, a poison pill for the whole meeting.
 */
export const MAX_UPDATE_CLOCK = 2 ** 40;

/** What the structure checks found in an update that passed them. */
export interface UpdateShape {
  /** Structs plus delete ranges. */
  parts: number;
  /** Ids of the shared types (maps, arrays, XML elements) it creates; their nesting is checked once applied. */
  nestedTypes: Y.ID[];
  /** Its structs as decoded (not integrated anywhere), for the checks that need the document. */
  structs: (Y.Item | Y.GC | Y.Skip)[];
}

/** Thrown for an update that is well-formed but beyond a limit: refused as "too large", not "malformed". */
export class UpdateTooLargeError extends RangeError {
  constructor(message: string) {
    super(message);
    this.name = 'UpdateTooLargeError';
  }
}

/**
 * Throws unless `update` parses, its clocks and ranges are ones Yjs can encode and read back, and it holds
 * at most `maxParts` structs and delete ranges (each costs the main loop a few µs to apply twice).
 */
export function checkUpdateBounds(update: Uint8Array, maxParts: number = Number.POSITIVE_INFINITY): UpdateShape {
  const { structs, ds } = Y.decodeUpdate(update);
  let parts = structs.length;
  if (parts > maxParts) throw new UpdateTooLargeError('too many structs');
  const nestedTypes: Y.ID[] = [];
  // Yjs never writes an empty struct or delete range, but it trips over one later (an empty struct breaks
  // its binary search, an empty range its re-encoding), after part of the update was applied.
  for (const struct of structs) {
    if (struct.length < 1 || struct.id.clock + struct.length > MAX_UPDATE_CLOCK) throw new RangeError('struct out of range');
    if (struct instanceof Y.Item && struct.content instanceof Y.ContentType) nestedTypes.push(struct.id);
  }
  for (const ranges of ds.clients.values()) {
    parts += ranges.length;
    if (parts > maxParts) throw new UpdateTooLargeError('too many delete ranges');
    for (const range of ranges) {
      if (range.len < 1 || range.clock + range.len > MAX_UPDATE_CLOCK) throw new RangeError('delete range out of range');
    }
  }
  return { parts, nestedTypes, structs };
}

/**
 * Throws unless every shared type in `ids` sits at most `maxDepth` types deep in `doc` (a type directly in
 * a root type is at depth 1). Run on the guard twin after it applied the update, so the live document never holds content
 * that recursive readers (exports, the editor, deleting a subtree) would overflow the stack on.
 */
export function checkContentDepth(doc: Y.Doc, ids: readonly Y.ID[], maxDepth: number): void {
  for (const id of ids) {
    let item: Y.Item | null = itemAt(doc, id);
    let depth = 0;
    while (item) {
      if (++depth > maxDepth) throw new UpdateTooLargeError('content nested too deeply');
      item = item.parent instanceof Y.AbstractType ? item.parent._item : null;
    }
  }
}

function itemAt(doc: Y.Doc, id: Y.ID): Y.Item | null {
  // A type still waiting for what it refers to (Yjs "pending") is not in the store yet: it is checked
  // when the update that releases it arrives, among that update's results (see guardedDoc's vet).
  if (Y.getState(doc.store, id.client) <= id.clock) return null;
  const struct = Y.getItem(doc.store, id);
  return struct instanceof Y.Item ? struct : null;
}

/**
 * Throws unless `update` would load into a fresh document: what the server stores must always load again,
 * or one bad row would make the meeting's notes unreadable for everyone.
 */
export function checkLoadable(update: Uint8Array): void {
  checkUpdateBounds(update);
  // A fixed guid: Yjs would otherwise draw a random UUID, ~30 crypto calls, per update checked.
  const probe = new Y.Doc({ guid: 'load-probe' });
  // Observed, so that Yjs also runs its re-encoding of what it could not apply (where some faults surface).
  probe.on('update', () => {});
  try {
    Y.applyUpdate(probe, update);
  } finally {
    probe.destroy();
  }
}
