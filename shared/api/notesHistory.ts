import { z } from 'zod';
import { NotesNode } from '../doc/notesNode.ts';
import { RandomId } from './ids.ts';

/**
 * Why a version of the notes was kept. Every one is taken by the server, never by a client:
 * - `edit`: after a quiet pause in writing (or a long stretch without one);
 * - `before_deletion`: the notes just before one edit removed a lot (see shared/doc/largeDeletion.ts);
 * - `large_deletion`: the notes just after such an edit, when it removed at least half of them;
 * - `restore`: the notes became the same as an earlier version again (someone restored it);
 * - `reflecting_started` / `reflecting_ended`: the reflecting conversation began or ended;
 * - `sealed`: the meeting ended and its record was sealed.
 */
export const NOTES_VERSION_KINDS = ['edit', 'before_deletion', 'large_deletion', 'restore', 'reflecting_started', 'reflecting_ended', 'sealed'] as const;
export const NotesVersionKind = z.enum(NOTES_VERSION_KINDS);
/** One of {@link NOTES_VERSION_KINDS}. */
export type NotesVersionKind = z.infer<typeof NotesVersionKind>;

/** Whom the server authenticated on the connection that made a change, with the name the server holds for them. */
export const VersionAuthor = z.object({ name: z.string() });
export type VersionAuthor = z.infer<typeof VersionAuthor>;

/**
 * A version without its content, as the history lists it. `seq` orders a meeting's versions (1, 2, ...).
 * `authors`: who changed the notes since the version before (for `large_deletion`: who removed the text).
 * `relatedId`: for `large_deletion`, the `before_deletion` version that brings the text back; for
 * `restore`, the earlier version whose content came back. `removedWords`: only for `large_deletion`.
 */
export const NotesVersionSummary = z.object({
  id: RandomId,
  seq: z.number().int().positive(),
  kind: NotesVersionKind,
  createdAt: z.string(),
  authors: z.array(VersionAuthor),
  words: z.number().int().nonnegative(),
  relatedId: RandomId.nullable(),
  removedWords: z.number().int().nonnegative().nullable(),
});
export type NotesVersionSummary = z.infer<typeof NotesVersionSummary>;

/** Most versions one page of the history holds. */
export const NOTES_VERSIONS_PAGE_MAX = 100;

/**
 * `GET /api/meetings/:id/notes/versions?before=<seq>&limit=<n>`: newest first, `limit` (default 20) versions
 * with `seq` below `before` (default: from the newest).
 */
export const ListNotesVersionsQuery = z.object({
  before: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional(),
  limit: z.coerce.number().int().min(1).max(NOTES_VERSIONS_PAGE_MAX).default(20),
});
export type ListNotesVersionsQuery = z.infer<typeof ListNotesVersionsQuery>;

/** Answer to listing versions: `nextBefore` asks for the next (older) page; null when there is none. */
export const ListNotesVersionsResponse = z.object({
  versions: z.array(NotesVersionSummary),
  total: z.number().int().nonnegative(),
  nextBefore: z.number().int().positive().nullable(),
});
export type ListNotesVersionsResponse = z.infer<typeof ListNotesVersionsResponse>;

/**
 * Answer to `GET /api/meetings/:id/notes/versions/:versionId`, and to `POST .../restore` (which also checks that
 * the meeting can still be written to): the version and its notes as ProseMirror JSON.
 */
export const NotesVersionResponse = z.object({ version: NotesVersionSummary, notes: NotesNode });
export type NotesVersionResponse = z.infer<typeof NotesVersionResponse>;

/**
 * Answer to `GET /api/meetings/:id/notes/last-written`: the newest version that held any words, and who made
 * the first change after it that left the notes without words (null when nothing emptied them since).
 */
export const LastWrittenNotesResponse = z.object({
  version: NotesVersionSummary.nullable(),
  emptiedBy: z.array(VersionAuthor).nullable(),
});
export type LastWrittenNotesResponse = z.infer<typeof LastWrittenNotesResponse>;
