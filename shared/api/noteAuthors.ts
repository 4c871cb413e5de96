import type { NoteBlock, NoteRun } from './records.ts';

/** A piece of a block's text, with the author label to show before it (none while the author stays the same). */
export interface AttributedSegment {
  label: string | undefined;
  text: string;
}

/** A block of the notes as a record shows it: a label on a line of its own, or labels inside it. */
export interface AttributedBlock {
  block: NoteBlock;
  /** Shown before the block, when one person wrote all of it and someone else wrote what came before. */
  blockLabel: string | undefined;
  /** The block's text; labelled inside only when several people wrote it. */
  segments: AttributedSegment[];
}

/** Said once above notes that carry writers' names, so nobody has to guess what the brackets mean. */
export const WRITER_LABELS_HINT = 'The name in brackets before a passage is the person who wrote it.';

/** Whether any block of `attributed` shows a writer's name. */
export function showsWriters(attributed: readonly AttributedBlock[]): boolean {
  return attributed.some((a) => a.blockLabel !== undefined || a.segments.some((segment) => segment.label !== undefined));
}

/** Said for a passage whose writer is not known (notes written before the server recorded writers). */
export const UNKNOWN_AUTHOR_LABEL = '[writer not recorded]';

/**
 * Who wrote which passage, as words in brackets ("[Pat Lee]") before the passage, each time the writer
 * changes: readable on screen, in Markdown and on a black-and-white printout alike, unlike colour. Notes
 * where no writer is known at all (older records) get no labels.
 */
export function attributeNotes(notes: readonly NoteBlock[]): AttributedBlock[] {
  const anyKnown = notes.some((block) => block.runs?.some((run) => run.author !== undefined));
  let current: string | null = null;
  return notes.map((block) => {
    const whole = [{ label: undefined, text: block.text }];
    if (!anyKnown || block.kind === 'rule') return { block, blockLabel: undefined, segments: whole };
    const runs = (block.runs ?? []).filter((run) => run.text.trim() !== '');
    const labels = [...new Set(runs.map(labelOf))];
    if (labels.length === 0) return { block, blockLabel: undefined, segments: whole };
    if (labels.length === 1 || block.kind === 'code') {
      const label = labels.join(' ');
      const blockLabel = label === current ? undefined : label;
      current = labels.at(-1) ?? null;
      return { block, blockLabel, segments: whole };
    }
    const segments: AttributedSegment[] = [];
    for (const run of block.runs ?? []) {
      const label = run.text.trim() === '' ? current : labelOf(run);
      const last = segments.at(-1);
      if (last && label === current) last.text += run.text;
      else segments.push({ label: label === current ? undefined : (label ?? undefined), text: run.text });
      current = label;
    }
    // After a block shared by several writers, the next one names its writer again: a label in the middle
    // of a paragraph is easily missed as covering what follows it.
    current = null;
    return { block, blockLabel: undefined, segments };
  });
}

function labelOf(run: NoteRun): string {
  return run.author === undefined ? UNKNOWN_AUTHOR_LABEL : `[${run.author}]`;
}
