import { describe, expect, it } from 'vitest';
import { attributeNotes, UNKNOWN_AUTHOR_LABEL } from './noteAuthors.ts';
import type { NoteBlock } from './records.ts';

const pat = { author: 'Pat Lee', role: 'practitioner' } as const;
const sam = { author: 'Sam Berg', role: 'network_member' } as const;

describe('who wrote which passage of the notes, as the record shows it', () => {
  it('labels a block by one writer before it, and not again while the same person goes on', () => {
    const notes: NoteBlock[] = [
      { kind: 'paragraph', text: 'One', runs: [{ text: 'One', ...pat }] },
      { kind: 'paragraph', text: 'Two', runs: [{ text: 'Two', ...pat }] },
      { kind: 'heading', text: 'Three', runs: [{ text: 'Three', ...sam }] },
    ];
    expect(attributeNotes(notes).map((b) => b.blockLabel)).toEqual(['[Pat Lee]', undefined, '[Sam Berg]']);
  });

  it('labels inside a block written by two people, where the writer changes', () => {
    const [block] = attributeNotes([{ kind: 'paragraph', text: 'Slept well. Not every night.', runs: [{ text: 'Slept well. ', ...pat }, { text: 'Not every night.', ...sam }] }]);
    expect(block?.blockLabel).toBeUndefined();
    expect(block?.segments).toEqual([
      { label: '[Pat Lee]', text: 'Slept well. ' },
      { label: '[Sam Berg]', text: 'Not every night.' },
    ]);
  });

  it('names the writer again after a block shared by several writers', () => {
    const blocks = attributeNotes([
      { kind: 'paragraph', text: 'a b', runs: [{ text: 'a ', ...pat }, { text: 'b', ...sam }] },
      { kind: 'paragraph', text: 'c', runs: [{ text: 'c', ...sam }] },
    ]);
    expect(blocks.map((b) => b.blockLabel)).toEqual([undefined, '[Sam Berg]']);
  });

  it('says when a writer is not known, and shows no labels at all for notes where none is', () => {
    const mixed = attributeNotes([
      { kind: 'paragraph', text: 'old', runs: [{ text: 'old' }] },
      { kind: 'paragraph', text: 'new', runs: [{ text: 'new', ...pat }] },
    ]);
    expect(mixed.map((b) => b.blockLabel)).toEqual([UNKNOWN_AUTHOR_LABEL, '[Pat Lee]']);
    const old = attributeNotes([{ kind: 'paragraph', text: 'old' }]);
    expect(old.map((b) => b.blockLabel)).toEqual([undefined]);
  });
});
