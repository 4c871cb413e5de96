import type * as Y from 'yjs';
import { z } from 'zod';
import { Author, Instant, LOCAL_ORIGIN, parseAll } from './entries.ts';
import { getHands } from './schema.ts';

/** A raised hand. The queue's order is the array's order, which Yjs makes the same on every client. */
export const RaisedHand = z.object({ who: Author, raisedAt: Instant });
export type RaisedHand = z.infer<typeof RaisedHand>;

/** Raised hands, first raised first; a person appears once even if they raised twice from two tabs. */
export function readHands(doc: Y.Doc): RaisedHand[] {
  const seen = new Set<string>();
  return parseAll(RaisedHand, getHands(doc).toArray()).filter((hand) => {
    if (seen.has(hand.who.id)) return false;
    seen.add(hand.who.id);
    return true;
  });
}

/** Puts the person at the end of the queue; does nothing if their hand is already up. */
export function raiseHand(doc: Y.Doc, who: Author, now: Date): void {
  if (readHands(doc).some((hand) => hand.who.id === who.id)) return;
  const hand: RaisedHand = { who, raisedAt: now.toISOString() };
  doc.transact(() => getHands(doc).push([hand]), LOCAL_ORIGIN);
}

/** Takes a person's hand down (every entry of theirs), wherever it is in the queue. */
export function lowerHand(doc: Y.Doc, participantId: string): void {
  const hands = getHands(doc);
  doc.transact(() => {
    const values = hands.toArray();
    for (let i = values.length - 1; i >= 0; i--) {
      const parsed = RaisedHand.safeParse(values[i]);
      if (parsed.success && parsed.data.who.id === participantId) hands.delete(i, 1);
    }
  }, LOCAL_ORIGIN);
}
