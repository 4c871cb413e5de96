import { getHands } from '../../../shared/doc/schema.ts';
import { readHands } from '../../../shared/doc/hands.ts';
import type { SharedDoc } from '../doc/createSharedDoc.ts';
import { createDocSnapshot } from '../doc/createDocSnapshot.ts';

/** The raised-hand queue, in the same order on every screen. */
export function createHands(meetingDoc: SharedDoc) {
  return createDocSnapshot([getHands(meetingDoc.doc)], () => readHands(meetingDoc.doc).map((hand) => ({ id: hand.who.id, ...hand })));
}

export type Hands = ReturnType<typeof createHands>;
