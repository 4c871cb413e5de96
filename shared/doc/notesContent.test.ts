import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { isLargeDeletion } from './largeDeletion.ts';
import { countWords, readNotesContent, showingBefore, notesText, type NotesNode } from './notesContent.ts';
import { getNotes } from './schema.ts';

function paragraph(text: string, format?: Record<string, unknown>): Y.XmlElement {
  const element = new Y.XmlElement('paragraph');
  const run = new Y.XmlText();
  run.insert(0, text, format);
  element.insert(0, [run]);
  return element;
}

describe('the notes read as ProseMirror JSON', () => {
  it('keeps blocks, attributes and marks', () => {
    const doc = new Y.Doc();
    const heading = new Y.XmlElement('heading');
    heading.setAttribute('level', 2 as unknown as string);
    heading.insert(0, [new Y.XmlText('Plan')]);
    const call = paragraph('call ', {});
    getNotes(doc).insert(0, [heading, call, paragraph('Sam', { strong: {} })]);
    const run = call.get(0);
    if (run instanceof Y.XmlText) run.insert(5, 'mum', { link: { href: 'tel:123', title: null } });
    const notes: NotesNode = readNotesContent(getNotes(doc));
    expect(notes).toEqual({
      type: 'doc',
      content: [
        { type: 'heading', attrs: { level: 2 }, content: [{ type: 'text', text: 'Plan' }] },
        { type: 'paragraph', content: [{ type: 'text', text: 'call ' }, { type: 'text', text: 'mum', marks: [{ type: 'link', attrs: { href: 'tel:123', title: null } }] }] },
        { type: 'paragraph', content: [{ type: 'text', text: 'Sam', marks: [{ type: 'strong' }] }] },
      ],
    });
    expect(notesText(notes)).toBe('Plan\ncall mum\nSam');
  });

  it('reads the notes as they were before a transaction, inside afterTransaction', () => {
    const doc = new Y.Doc();
    getNotes(doc).insert(0, [paragraph('first thoughts'), paragraph('second')]);
    let before: NotesNode | undefined;
    let after: NotesNode | undefined;
    doc.on('afterTransaction', (transaction: Y.Transaction) => {
      before = readNotesContent(getNotes(doc), showingBefore(transaction));
      after = readNotesContent(getNotes(doc));
    });
    doc.transact(() => {
      getNotes(doc).delete(0, 2);
      getNotes(doc).insert(0, [paragraph('replaced')]);
    });
    expect(before && notesText(before)).toBe('first thoughts\nsecond');
    expect(after && notesText(after)).toBe('replaced');
  });
});

describe('counting words and large deletions', () => {
  it('counts words of any script, with apostrophes and times inside one word', () => {
    expect(countWords("Don't call at 12:30, said Åsa — ok?")).toBe(7);
    expect(countWords('')).toBe(0);
  });

  it('is a large deletion only when at least 200 characters and half the notes go', () => {
    expect(isLargeDeletion(1000, 0)).toBe(true);
    expect(isLargeDeletion(1000, 600)).toBe(false);
    expect(isLargeDeletion(300, 120)).toBe(false);
    expect(isLargeDeletion(399, 199)).toBe(true);
    expect(isLargeDeletion(0, 0)).toBe(false);
  });
});
