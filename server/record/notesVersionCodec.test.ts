import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { readNotesContent } from '../../shared/doc/notesContent.ts';
import { getNotes } from '../../shared/doc/schema.ts';
import { decodeNotes, encodeNotes } from './notesVersionCodec.ts';

const SENTENCE = 'Sam said the nights are the hardest, and walking to the river helps before sleep. ';

/** Notes of about 1,500 words typed a few characters at a time, as an editor sends them. */
function typedNotes(): Y.Doc {
  const doc = new Y.Doc();
  for (let p = 0; p < 20; p++) {
    const paragraph = new Y.XmlElement('paragraph');
    const text = new Y.XmlText();
    paragraph.insert(0, [text]);
    getNotes(doc).push([paragraph]);
    const body = SENTENCE.repeat(5);
    for (let i = 0; i < body.length; i += 3) text.insert(i, body.slice(i, i + 3));
  }
  return doc;
}

describe('how a version of the notes is kept', () => {
  it('round-trips the notes, and is far smaller than the Yjs state of the same notes', () => {
    const doc = typedNotes();
    const notes = readNotesContent(getNotes(doc));
    const encoded = encodeNotes(notes);
    expect(decodeNotes(encoded.content)).toEqual(notes);
    expect(encoded.words).toBe(20 * 5 * 15);
    const yjsState = Y.encodeStateAsUpdate(doc).byteLength;
    expect(encoded.content.byteLength).toBeLessThan(yjsState / 4);
    expect(encodeNotes(readNotesContent(getNotes(doc))).contentHash).toBe(encoded.contentHash);
  });
});
