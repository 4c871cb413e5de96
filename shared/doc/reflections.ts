import type * as Y from 'yjs';
import { z } from 'zod';
import { Author, cleanText, Instant, LOCAL_ORIGIN, newEntryId, parseAll, REFLECTION_MAX } from './entries.ts';
import { getReflections } from './schema.ts';

/** One reflection, written by a team member as they reflect; everyone can read it. */
export const Reflection = z.object({
  id: z.string(),
  author: Author,
  text: z.string().min(1).max(REFLECTION_MAX),
  writtenAt: Instant,
});
export type Reflection = z.infer<typeof Reflection>;

/** Reflections in the order they were written. */
export function readReflections(doc: Y.Doc): Reflection[] {
  return parseAll(Reflection, getReflections(doc).toArray());
}

/** Adds a reflection; blank text adds nothing and returns `undefined`; long text is cut to {@link REFLECTION_MAX}. */
export function addReflection(doc: Y.Doc, author: Author, text: string, now: Date): string | undefined {
  const clean = cleanText(text, REFLECTION_MAX);
  if (!clean) return undefined;
  const entry: Reflection = { id: newEntryId(), author, text: clean, writtenAt: now.toISOString() };
  doc.transact(() => getReflections(doc).push([entry]), LOCAL_ORIGIN);
  return entry.id;
}
