import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { colorFor, CURSOR_COLORS } from './awareness.ts';
import { getNotes, notesPlainText } from './schema.ts';

describe('notesPlainText', () => {
  it('is empty for an empty document', () => {
    expect(notesPlainText(new Y.Doc())).toBe('');
  });

  it('joins paragraphs with newlines and drops formatting', () => {
    const doc = new Y.Doc();
    const first = new Y.XmlElement('paragraph');
    const text = new Y.XmlText('Sleep is better');
    text.format(0, 5, { strong: {} });
    first.insert(0, [text]);
    const second = new Y.XmlElement('paragraph');
    second.insert(0, [new Y.XmlText('Work <is> hard')]);
    getNotes(doc).push([first, second]);
    expect(notesPlainText(doc)).toBe('Sleep is better\nWork <is> hard');
  });
});

describe('colorFor', () => {
  it('gives a participant the same colour every time, from the accessible palette', () => {
    expect(colorFor('abc')).toBe(colorFor('abc'));
    expect(CURSOR_COLORS).toContain(colorFor('someone-else'));
  });
});
