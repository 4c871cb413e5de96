import type * as Y from 'yjs';
import { z } from 'zod';
import { Author, cleanText, Instant, LOCAL_ORIGIN, newEntryId, parseAll, REFLECTION_MAX } from './entries.ts';
import { getReflectionAnswers } from './schema.ts';

/**
 * What someone in the network made of the team's reflections ("what we made of it"), written after hearing
 * them. Kept beside the reflections in the meeting's document; everyone can read it.
 */
export const ReflectionAnswer = z.object({
  id: z.string(),
  author: Author,
  text: z.string().min(1).max(REFLECTION_MAX),
  writtenAt: Instant,
});
export type ReflectionAnswer = z.infer<typeof ReflectionAnswer>;

/** Answers in the order they were written. */
export function readReflectionAnswers(doc: Y.Doc): ReflectionAnswer[] {
  return parseAll(ReflectionAnswer, getReflectionAnswers(doc).toArray());
}

/** Adds an answer; blank text adds nothing and returns `undefined`; long text is cut to {@link REFLECTION_MAX}. */
export function addReflectionAnswer(doc: Y.Doc, author: Author, text: string, now: Date): string | undefined {
  const clean = cleanText(text, REFLECTION_MAX);
  if (!clean) return undefined;
  const entry: ReflectionAnswer = { id: newEntryId(), author, text: clean, writtenAt: now.toISOString() };
  doc.transact(() => getReflectionAnswers(doc).push([entry]), LOCAL_ORIGIN);
  return entry.id;
}
