import * as Y from 'yjs';

/** The decoded structs of one update, found by any id within them. */
export class UpdateItems {
  readonly #byClient = new Map<number, Y.Item[]>();

  constructor(structs: readonly (Y.Item | Y.GC | Y.Skip)[]) {
    for (const struct of structs) {
      if (!(struct instanceof Y.Item)) continue;
      const list = this.#byClient.get(struct.id.client);
      if (list) list.push(struct);
      else this.#byClient.set(struct.id.client, [struct]);
    }
  }

  /** Binary search: an update lists each client's structs in clock order, and may hold thousands. */
  at(id: Y.ID): Y.Item | undefined {
    const items = this.#byClient.get(id.client) ?? [];
    let low = 0;
    let high = items.length - 1;
    while (low <= high) {
      const middle = (low + high) >>> 1;
      const item = items[middle];
      if (!item) return undefined;
      if (id.clock < item.id.clock) high = middle - 1;
      else if (id.clock >= item.id.clock + item.length) low = middle + 1;
      else return item;
    }
    return undefined;
  }
}

/**
 * What `step` finally tells about `struct`, following it through the update's own structs (a struct whose
 * parent or neighbour comes with the same update is where that one is). Each struct's answer is kept in
 * `memo`, so a chain is followed once per update, not once per struct: thousands of inserts chained to each
 * other, each walked back to the chain's start, cost an attacker's update 100 ms of main loop. `onHop` is
 * called once per struct looked at (a budget may count it). A cycle within the update ends unresolved.
 */
export function throughUpdate<T>(struct: Y.Item, memo: Map<Y.Item, T | undefined>, step: (item: Y.Item) => T | Y.Item | undefined, onHop: () => void = () => {}): T | undefined {
  const chain: Y.Item[] = [];
  let found: T | undefined;
  for (let current: Y.Item | undefined = struct; current !== undefined; ) {
    if (memo.has(current)) {
      found = memo.get(current);
      break;
    }
    onHop();
    chain.push(current);
    memo.set(current, undefined);
    const next = step(current);
    if (next instanceof Y.Item) current = next;
    else {
      found = next;
      break;
    }
  }
  for (const item of chain) memo.set(item, found);
  return found;
}
