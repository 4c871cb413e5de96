import * as Y from 'yjs';
import { MEETING_DOC_KEYS } from '../../shared/doc/schema.ts';
import { throughUpdate, UpdateItems } from './updateItems.ts';

/**
 * Whether an update's additions to the notes' authorship map (Yjs's `PermanentUserData`, which the editor
 * reads to show who wrote which passage live) are the writer's own: under the writer's participant id
 * only, and listing only client ids the writer writes with (`ownsClient`). Without this, a client could
 * file its own writing, or someone else's client id, under another person's name on everyone's screen.
 * (The record does not read this map at all: it names writers from the server's bindings.)
 */
export function claimsOnlyOwnAuthorship(doc: Y.Doc, structs: readonly (Y.Item | Y.GC | Y.Skip)[], writerId: string, ownsClient: (clientId: number) => boolean): boolean {
  const root = doc.share.get(MEETING_DOC_KEYS.noteAuthorship);
  const update = new UpdateItems(structs);
  const places = new Map<Y.Item, Place | undefined>();
  for (const struct of structs) {
    if (!(struct instanceof Y.Item) || struct.id.clock + struct.length <= Y.getState(doc.store, struct.id.client)) continue;
    const place = placeOf(doc, struct, update, places);
    if (!place || (place.root !== MEETING_DOC_KEYS.noteAuthorship && (root === undefined || place.root !== root))) continue;
    if (place.key !== writerId) return false;
    if (!(struct.content instanceof Y.ContentAny)) continue;
    for (const value of struct.content.getContent()) if (typeof value === 'number' && !ownsClient(value)) return false;
  }
  return true;
}

type Place = { root: string | Y.AbstractType<unknown>; key: string | null };

/**
 * The root type (its name, or the type) a decoded struct goes into, and the key of the root's entry it
 * sits under, following parents and neighbours through the document and through the update itself.
 * Undefined when it cannot be told (what it refers to is in neither: Yjs holds such a struct back).
 */
function placeOf(doc: Y.Doc, struct: Y.Item, update: UpdateItems, memo: Map<Y.Item, Place | undefined>): Place | undefined {
  return throughUpdate(struct, memo, (item) => stepOf(doc, item, update));
}

/** Where a struct is, when the document tells; else the update's own struct to follow; else undefined. */
function stepOf(doc: Y.Doc, struct: Y.Item, update: UpdateItems): Place | Y.Item | undefined {
  if (typeof struct.parent === 'string') return { root: struct.parent, key: struct.parentSub };
  if (struct.parent instanceof Y.ID) {
    const parent = itemAt(doc, struct.parent);
    if (parent) return parent.content instanceof Y.ContentType ? upFrom(parent.content.type, struct.parentSub) : undefined;
    // A parent created by the same update: this struct sits under whatever entry that parent sits under.
    return update.at(struct.parent);
  }
  // Decoded structs with a neighbour carry no parent: Yjs takes it (and the key) from the neighbour.
  const neighbour = struct.origin ?? struct.rightOrigin;
  if (!neighbour) return undefined;
  const item = itemAt(doc, neighbour);
  if (item) return item.parent instanceof Y.AbstractType ? upFrom(item.parent, item.parentSub) : undefined;
  return update.at(neighbour);
}

function upFrom(type: Y.AbstractType<unknown>, key: string | null): Place {
  let current = type;
  let entryKey = key;
  for (let item = current._item; item; item = current._item) {
    if (!(item.parent instanceof Y.AbstractType)) break;
    entryKey = item.parentSub;
    current = item.parent;
  }
  return { root: current, key: entryKey };
}

function itemAt(doc: Y.Doc, id: Y.ID): Y.Item | undefined {
  if (Y.getState(doc.store, id.client) <= id.clock) return undefined;
  const struct = Y.getItem(doc.store, id);
  return struct instanceof Y.Item ? struct : undefined;
}
