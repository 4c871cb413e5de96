import * as Y from 'yjs';

/** A document's edit history as the individual updates its clients sent, oldest first. */
export interface EditHistory {
  updates: Uint8Array[];
  /** The text that applying every update gives. */
  finalText: string;
  /** The same document as one snapshot (what a compaction or Hocuspocus' store leaves). */
  snapshot: Uint8Array;
}

const WRITERS = 4;
const PHRASE = 'we talked about sleep, and about work; the family felt heard today. ';

/**
 * `count` updates from four people taking turns at one text, each keystroke its own update: a turn is a
 * burst of 5–60 keystrokes at one place (the end, or somewhere earlier, as when someone adds to an earlier
 * point), about one keystroke in ten a backspace. Deterministic, so every server loads the same bytes.
 */
export function generateEditHistory(count: number): EditHistory {
  const docs = Array.from({ length: WRITERS }, (_, index) => {
    const doc = new Y.Doc();
    doc.clientID = 1000 + index;
    return doc;
  });
  const updates: Uint8Array[] = [];
  let seed = 42;
  const random = (): number => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  let writerIndex = 0;
  let burstLeft = 0;
  let cursor = 0;
  for (let step = 0; step < count; step++) {
    if (burstLeft === 0) {
      writerIndex = Math.floor(random() * WRITERS);
      burstLeft = 5 + Math.floor(random() * 56);
      const length = docs[writerIndex]?.getText('t').length ?? 0;
      cursor = random() < 0.75 ? length : Math.floor(random() * length);
    }
    burstLeft--;
    const writer = docs[writerIndex];
    if (!writer) throw new Error('no writer');
    const text = writer.getText('t');
    let update: Uint8Array | null = null;
    const capture = (bytes: Uint8Array): void => void (update = bytes);
    writer.on('update', capture);
    if (cursor > 0 && random() < 0.1) {
      text.delete(--cursor, 1);
    } else {
      text.insert(cursor, PHRASE.charAt(step % PHRASE.length));
      cursor++;
    }
    writer.off('update', capture);
    if (!update) throw new Error('an edit produced no update');
    updates.push(update);
    for (const other of docs) if (other !== writer) Y.applyUpdate(other, update);
  }
  const [first] = docs;
  if (!first) throw new Error('no document');
  const result = { updates, finalText: first.getText('t').toJSON(), snapshot: Y.encodeStateAsUpdate(first) };
  for (const doc of docs) doc.destroy();
  return result;
}
