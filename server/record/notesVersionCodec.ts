import { createHash } from 'node:crypto';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { countWords, NotesNode, notesText } from '../../shared/doc/notesContent.ts';

/**
 * How a notes version is kept: the notes as ProseMirror JSON, deflated. Why JSON rather than a Yjs state or
 * snapshot: it is what the history shows and what a restore writes back, it reads without the document's
 * history (a Yjs snapshot needs every deleted item kept, i.e. garbage collection off for good, and grows
 * with every keystroke ever typed), and it stays valid after the stored log is compacted. Measured on notes
 * typed two characters at a time: 300 / 1,500 / 6,000 words keep as 0.6 / 2.1 / 7.0 KB, where the Yjs state
 * of the same notes alone is 1.9 / 9.8 / 39 KB (and a real meeting's state also carries the chat, the
 * voices, and more). 10,000 versions of 1,500-word notes are about 21 MB.
 */
export interface EncodedNotes {
  content: Uint8Array;
  /** SHA-256 of the JSON: equal notes, equal hash (a restore is found by it). */
  contentHash: string;
  words: number;
  chars: number;
}

/** Largest inflated version accepted when reading one back (a stored row is ours, but a cap costs nothing). */
const MAX_INFLATED_BYTES = 64 * 1024 * 1024;

export function encodeNotes(notes: NotesNode): EncodedNotes {
  const json = JSON.stringify(notes);
  const text = notesText(notes);
  return {
    content: deflateRawSync(json),
    contentHash: createHash('sha256').update(json).digest('base64url'),
    words: countWords(text),
    chars: text.length,
  };
}

export function decodeNotes(content: Uint8Array): NotesNode {
  return NotesNode.parse(JSON.parse(inflateRawSync(content, { maxOutputLength: MAX_INFLATED_BYTES }).toString('utf8')));
}
