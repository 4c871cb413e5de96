import { z } from 'zod';

// No Yjs here: the HTTP schemas of the notes' history (shared/api/notesHistory.ts) use this shape, and the
// first screen, which loads those schemas, must not pull in the shared document's code.

/**
 * One node of the notes as ProseMirror JSON (`Node.toJSON()`): what a notes version holds, what the history
 * shows and what a restore writes back. Only the shape is checked here; the editor's schema checks the rest.
 */
export interface NotesNode {
  type: string;
  attrs?: Record<string, unknown> | undefined;
  content?: NotesNode[] | undefined;
  text?: string | undefined;
  marks?: { type: string; attrs?: Record<string, unknown> | undefined }[] | undefined;
}

/** Nesting deeper than this is refused: the editor's schema never nests so deep (quotes in lists in quotes...). */
export const MAX_NOTES_DEPTH = 64;

/** {@link NotesNode}, checked recursively (depth capped at {@link MAX_NOTES_DEPTH}). */
export const NotesNode: z.ZodType<NotesNode> = z.lazy(() =>
  z.object({
    type: z.string().min(1).max(64),
    attrs: z.record(z.string(), z.unknown()).optional(),
    content: z.array(NotesNode).optional(),
    text: z.string().optional(),
    marks: z.array(z.object({ type: z.string().min(1).max(64), attrs: z.record(z.string(), z.unknown()).optional() })).optional(),
  }),
);
