import { createMemo } from 'solid-js';
import { getReflectingTurns } from '../../../shared/doc/schema.ts';
import { lastEndedTurn, phaseOf, readReflectingTurns } from '../../../shared/doc/reflecting.ts';
import type { SharedDoc } from '../doc/createSharedDoc.ts';
import { createDocSnapshot } from '../doc/createDocSnapshot.ts';

/** The meeting's phase as Solid sees it: the turns, the current phase, and the last ended turn. */
export function createPhase(meetingDoc: SharedDoc) {
  const turns = createDocSnapshot([getReflectingTurns(meetingDoc.doc)], () => readReflectingTurns(meetingDoc.doc));
  const phase = createMemo(() => phaseOf(turns()));
  const ended = createMemo(() => lastEndedTurn(turns()));
  return { turns, phase, ended };
}

export type Phase = ReturnType<typeof createPhase>;
