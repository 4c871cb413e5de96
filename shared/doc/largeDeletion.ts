/**
 * When one edit removes so much of the notes that everyone is told, with one button to bring it back.
 *
 * Both must hold: at least {@link LARGE_DELETION_MIN_CHARS} characters go (about three sentences: deleting a
 * line or rewriting a sentence never shows a notice to the whole meeting), and at least half of what the
 * notes held goes (tidying a long passage out of long notes is ordinary editing; halving them in one go is
 * not: select-all and Delete, cutting everything, pasting over everything). A server version is taken
 * before any deletion of {@link VERSION_BEFORE_DELETION_CHARS} characters or more, noticed or not.
 */
export const LARGE_DELETION_MIN_CHARS = 200;

/** Share of the notes' characters one edit must remove to be a large deletion (see above). */
export const LARGE_DELETION_MIN_SHARE = 0.5;

/** A deletion of this many characters or more is preceded by a version of the notes as they were. */
export const VERSION_BEFORE_DELETION_CHARS = LARGE_DELETION_MIN_CHARS;

/**
 * Whether an edit that took the notes from `before` to `after` characters is a large deletion.
 * `before` of 0 is never one. Both counts are of plain text (see `notesText`).
 */
export function isLargeDeletion(before: number, after: number): boolean {
  const removed = before - after;
  return removed >= LARGE_DELETION_MIN_CHARS && removed >= before * LARGE_DELETION_MIN_SHARE;
}
