import * as Y from 'yjs';
import { UpdateTooLargeError } from './updateBounds.ts';
import { throughUpdate, UpdateItems } from './updateItems.ts';

/**
 * Throws before an update is applied when Yjs would scan more than `maxSteps` existing items to place its
 * structs. Yjs places an inserted item by walking every item between its left and right origins (the
 * items others inserted at the same place meanwhile), so its cost is the update's size times the
 * conflicting content already in the document: 4,000 elements inserted at the front by one client onto
 * 4,000 by another took 2 s, 8,000 onto a few tens of thousands a minute, all of it on the main loop.
 * Real edits walk a few items: typing chains each character to the one before it, and a person who was
 * offline walks past what others wrote at the same place once per place, not once per character.
 *
 * The walk here is the one Yjs will do, done first with a step budget: it costs at most `maxSteps` steps
 * (about 0.1 µs each) whatever the update. Structs whose origins are not in the document yet (they come
 * with the update, or are missing) are not walked: the first are placed next to what they follow, the
 * second wait as Yjs "pending" structs, and are counted when the update that releases them arrives.
 */
export function checkConflictScan(doc: Y.Doc, structs: readonly (Y.Item | Y.GC | Y.Skip)[], maxSteps: number): void {
  let steps = 0;
  const step = (): void => {
    if (++steps > maxSteps) throw new UpdateTooLargeError('update conflicts with too much content');
  };
  const inUpdate = new UpdateItems(structs);
  const parents: ParentMemo = new Map();
  for (const struct of structs) {
    if (!(struct instanceof Y.Item)) continue;
    const first = firstConflict(doc, struct, inUpdate, parents, step);
    if (first === undefined) continue;
    // A right origin that comes with the update is placed before this struct: where, only applying tells,
    // so the walk goes on as far as Yjs's own rules would let it (the worst case).
    const stop = struct.rightOrigin === null ? null : (present(doc, struct.rightOrigin) ?? null);
    walkLikeYjs(doc, struct, first, stop, step);
  }
}

/**
 * Yjs's placement loop (Item.integrate) without its effects: it goes on past items with the same left
 * origin, or whose origin it already passed, and stops at the right origin or at any other item.
 */
function walkLikeYjs(doc: Y.Doc, struct: Y.Item, first: Y.Item | null, stop: Y.Item | null, step: () => void): void {
  // Made on the first item walked past: typing at the end of a text walks none.
  let passed: Set<Y.Item> | null = null;
  for (let item = first; item !== null && item !== stop; item = item.right) {
    step();
    (passed ??= new Set()).add(item);
    if (sameId(struct.origin, item.origin)) {
      if (item.id.client > struct.id.client && sameId(struct.rightOrigin, item.rightOrigin)) return;
      continue;
    }
    const itemOrigin = item.origin === null ? undefined : present(doc, item.origin);
    if (itemOrigin === undefined || !passed.has(itemOrigin)) return;
  }
}

function sameId(a: Y.ID | null, b: Y.ID | null): boolean {
  return a === b || (a !== null && b !== null && a.client === b.client && a.clock === b.clock);
}

/** The first item Yjs compares `struct` with, null when there is none, undefined when it cannot be known yet. */
function firstConflict(doc: Y.Doc, struct: Y.Item, inUpdate: UpdateItems, parents: ParentMemo, step: () => void): Y.Item | null | undefined {
  if (struct.origin !== null) {
    const origin = present(doc, struct.origin);
    return origin === undefined ? undefined : origin.right;
  }
  const parent = parentType(doc, struct, inUpdate, parents, step);
  if (!parent) return undefined;
  if (struct.parentSub === null) return parent._start;
  // A map entry without a left origin: Yjs walks the key's whole history to its start first.
  let item = parent._map.get(struct.parentSub) ?? null;
  while (item !== null && item.left !== null) {
    step();
    item = item.left;
  }
  return item;
}

/** Yjs's own type for the shared types of a document. */
type SharedType = Y.Doc['share'] extends Map<string, infer T> ? T : never;

/** Where each of the update's structs goes, once found: the update's structs share their parents. */
type ParentMemo = Map<Y.Item, SharedType | undefined>;

/**
 * The shared type `struct` goes into, when it can be told before it is applied. The wire format names the
 * parent only when both origins are absent: otherwise it is their parent's, found in the document or,
 * through the update's own structs, where the chain starts. Each hop is charged to the budget.
 */
function parentType(doc: Y.Doc, struct: Y.Item, inUpdate: UpdateItems, memo: ParentMemo, step: () => void): SharedType | undefined {
  return throughUpdate(struct, memo, (item) => {
    const direct = directParent(doc, item);
    return direct.known ? direct.type : viaOrigins(doc, item, inUpdate);
  }, step);
}

/** The parent a struct names itself (the wire format names it when both origins are absent). */
function directParent(doc: Y.Doc, struct: Y.Item): { known: true; type: SharedType | undefined } | { known: false } {
  const { parent } = struct;
  if (typeof parent === 'string') return { known: true, type: doc.share.get(parent) };
  if (parent instanceof Y.ID) {
    const item = present(doc, parent);
    return { known: true, type: item?.content instanceof Y.ContentType ? (item.content.type as SharedType) : undefined };
  }
  return { known: false };
}

/**
 * The parent of an origin already in the document, or else the update's own struct an origin points to
 * (to follow); undefined when neither is there (the struct waits as Yjs "pending").
 */
function viaOrigins(doc: Y.Doc, struct: Y.Item, inUpdate: UpdateItems): SharedType | Y.Item | undefined {
  for (const id of [struct.origin, struct.rightOrigin]) {
    if (id === null) continue;
    const existing = present(doc, id);
    if (existing) return existing.parent as SharedType;
    const sibling = inUpdate.at(id);
    if (sibling && sibling !== struct) return sibling;
  }
  return undefined;
}

/** The item holding `id`, if the document has it (not a GC'd struct). */
function present(doc: Y.Doc, id: Y.ID): Y.Item | undefined {
  if (Y.getState(doc.store, id.client) <= id.clock) return undefined;
  const struct = Y.getItem(doc.store, id);
  return struct instanceof Y.Item ? struct : undefined;
}
