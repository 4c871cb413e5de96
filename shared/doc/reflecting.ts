import type * as Y from 'yjs';
import { z } from 'zod';
import { isTeamRole } from '../api/roles.ts';
import { Author, Instant, LOCAL_ORIGIN, newEntryId, parseAll } from './entries.ts';
import { getReflectingTurns } from './schema.ts';

/**
 * The two phases of a network meeting: the open dialogue with everyone, and the team's reflecting
 * conversation in front of the network.
 */
export const MEETING_PHASES = ['dialogue', 'reflecting'] as const;
export type MeetingPhase = (typeof MEETING_PHASES)[number];

/** One reflecting turn. `endedAt`/`endedBy` are absent while the turn goes on. */
export const ReflectingTurn = z.object({
  id: z.string(),
  startedAt: Instant,
  startedBy: Author,
  endedAt: Instant.optional(),
  endedBy: Author.optional(),
});
export type ReflectingTurn = z.infer<typeof ReflectingTurn>;

/** Every reflecting turn, oldest first (ties broken by id, so every client lists them alike). */
export function readReflectingTurns(doc: Y.Doc): ReflectingTurn[] {
  return parseAll(ReflectingTurn, getReflectingTurns(doc).values()).sort(
    (a, b) => a.startedAt.localeCompare(b.startedAt) || a.id.localeCompare(b.id),
  );
}

/**
 * The phase the turns describe: reflecting while any turn is open. Two team members who start at the same
 * moment open two turns; one "Return to the network" closes both.
 */
export function phaseOf(turns: readonly ReflectingTurn[]): MeetingPhase {
  return turns.some((turn) => turn.endedAt === undefined) ? 'reflecting' : 'dialogue';
}

/** The most recent turn that has ended, if the meeting is back in dialogue; else `undefined`. */
export function lastEndedTurn(turns: readonly ReflectingTurn[]): ReflectingTurn | undefined {
  if (phaseOf(turns) === 'reflecting') return undefined;
  return turns.at(-1);
}

/**
 * Starts a reflecting turn. Only team members may; returns `false` (changing nothing) for anyone else
 * or when a turn is already open.
 */
export function startReflecting(doc: Y.Doc, by: Author, now: Date): boolean {
  if (!isTeamRole(by.role) || phaseOf(readReflectingTurns(doc)) === 'reflecting') return false;
  const turn: ReflectingTurn = { id: newEntryId(), startedAt: now.toISOString(), startedBy: by };
  doc.transact(() => getReflectingTurns(doc).set(turn.id, turn), LOCAL_ORIGIN);
  return true;
}

/** Ends every open turn ("Return to the network"). Team members only; `false` when nothing was open. */
export function returnToNetwork(doc: Y.Doc, by: Author, now: Date): boolean {
  if (!isTeamRole(by.role)) return false;
  const open = readReflectingTurns(doc).filter((turn) => turn.endedAt === undefined);
  if (open.length === 0) return false;
  doc.transact(() => {
    for (const turn of open) getReflectingTurns(doc).set(turn.id, { ...turn, endedAt: now.toISOString(), endedBy: by });
  }, LOCAL_ORIGIN);
  return true;
}
