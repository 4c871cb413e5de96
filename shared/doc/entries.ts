import * as Y from 'yjs';
import { z } from 'zod';
import { DISPLAY_NAME_MAX } from '../api/limits.ts';
import { ParticipantRole } from '../api/roles.ts';

/** Longest chat message, in characters; longer text is cut at this length. */
export const CHAT_MESSAGE_MAX = 1000;
/** Most chat messages kept in a meeting's document; the oldest go first beyond this. */
export const CHAT_HISTORY_MAX = 500;
/** Longest reflection entry, in characters. */
export const REFLECTION_MAX = 2000;
/** Longest open-question title, in characters. */
export const QUESTION_TITLE_MAX = 200;
/** Longest view one person gives on an open question, in characters. */
export const QUESTION_VIEW_MAX = 1000;
/** Longest decision text, in characters. */
export const DECISION_MAX = 2000;
/** Longest name or relationship on the network map, in characters. */
export const MAP_LABEL_MAX = 60;

/**
 * Transaction origin of every edit made by this client through the accessors, so observers can tell a
 * person's own edits from those that arrive from the server (the provider is the origin of those).
 */
export const LOCAL_ORIGIN = { kind: 'local' } as const;

/** Who wrote or did something, as stored beside it. Names are as the person gave them when joining. */
export const Author = z.object({
  id: z.string().min(1).max(100),
  name: z.string().min(1).max(DISPLAY_NAME_MAX),
  role: ParticipantRole,
});
export type Author = z.infer<typeof Author>;

/** An ISO 8601 instant as stored in the document. */
export const Instant = z.iso.datetime();

/**
 * A short random id for an entry. Uses `crypto.getRandomValues`, which (unlike `randomUUID`) also exists
 * on pages that are not a secure context.
 */
export function newEntryId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Trims text and cuts it to `max` characters; `undefined` when nothing is left. */
export function cleanText(text: string, max: number): string | undefined {
  const trimmed = text.trim().slice(0, max);
  return trimmed.length > 0 ? trimmed : undefined;
}

/**
 * `value` as a nested entry map, whose fields are `unknown` until checked (another client may have written
 * anything into them); `undefined` when `value` is not a `Y.Map`.
 */
export function asEntryMap(value: unknown): Y.Map<unknown> | undefined {
  return value instanceof Y.Map ? (value as Y.Map<unknown>) : undefined;
}

/** Parses every value with `schema`, dropping those that do not fit (another client's bug must not break us). */
export function parseAll<T>(schema: z.ZodType<T>, values: Iterable<unknown>): T[] {
  const parsed: T[] = [];
  for (const value of values) {
    const result = schema.safeParse(value);
    if (result.success) parsed.push(result.data);
  }
  return parsed;
}
