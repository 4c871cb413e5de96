import { z } from 'zod';
import { DISPLAY_NAME_MAX } from '../api/limits.ts';
import { Author } from './entries.ts';

/**
 * The `user` field of a client's awareness state, the shape y-prosemirror's cursor plugin reads:
 * the name shown on the person's cursor and selection, and its colour.
 */
export const AwarenessUser = z.object({
  name: z.string().min(1).max(DISPLAY_NAME_MAX),
  color: z.string().regex(/^#[0-9a-f]{6}$/i),
});
export type AwarenessUser = z.infer<typeof AwarenessUser>;

/**
 * Cursor colours with at least 4.5:1 contrast against white text (WCAG AA), so a name label stays readable.
 */
export const CURSOR_COLORS = ['#1a5fb4', '#a51d2d', '#26714b', '#813d9c', '#9c4a00', '#1c6b75', '#5e5c64', '#8f3a5f'] as const;

/** A stable colour for a participant id, so a person keeps their colour across reconnects. */
export function colorFor(participantId: string): string {
  let hash = 0;
  for (const ch of participantId) hash = (hash * 31 + ch.charCodeAt(0)) >>> 0;
  return CURSOR_COLORS[hash % CURSOR_COLORS.length] ?? CURSOR_COLORS[0];
}

/**
 * The `participant` field of a client's awareness state: who is present in the shared space, used for
 * "who was present" on decisions and for the voices of people who have not spoken yet.
 */
export const AWARENESS_PARTICIPANT_FIELD = 'participant';

/**
 * Everyone present according to the awareness states, once each (a person with two tabs counts once),
 * sorted by name. States without a well-formed `participant` field are skipped.
 */
export function presentParticipants(states: Iterable<unknown>): Author[] {
  const byId = new Map<string, Author>();
  for (const state of states) {
    if (typeof state !== 'object' || state === null || !(AWARENESS_PARTICIPANT_FIELD in state)) continue;
    const parsed = Author.safeParse((state as Record<string, unknown>)[AWARENESS_PARTICIPANT_FIELD]);
    if (parsed.success) byId.set(parsed.data.id, parsed.data);
  }
  return [...byId.values()].sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
}
