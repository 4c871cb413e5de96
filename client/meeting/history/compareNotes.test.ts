import { describe, expect, it } from 'vitest';
import { compareBlocks } from './compareNotes.ts';

describe('comparing a version with the notes now', () => {
  it('keeps reading order and marks what only one side has', () => {
    expect(compareBlocks('a\nb\nc', 'a\nc\nd')).toEqual([
      { kind: 'same', text: 'a' },
      { kind: 'only-then', text: 'b' },
      { kind: 'same', text: 'c' },
      { kind: 'only-now', text: 'd' },
    ]);
  });

  it('leaves out empty paragraphs, and says an emptied version holds everything now only', () => {
    expect(compareBlocks('\n\n', 'x\n\ny')).toEqual([
      { kind: 'only-now', text: 'x' },
      { kind: 'only-now', text: 'y' },
    ]);
  });
});
