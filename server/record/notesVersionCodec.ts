import { createHash } from 'node:crypto';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { countWords, NotesNode, notesText } from '../../shared/doc/notesContent.ts';

/**
 * How a notes version is kept: the notes as ProseMirror JSON, deflated. Why JSON rather than a Yjs state or
 * snapshot: it is what the history shows and what a restore writes back, it reads without the document's
 * history (a Yjs snapshot needs every deleted item kept, i.e. garbage collection off for good, and grows
 * with every keystroke ever typed), and it stays valid after the stored log is compacted. Measured in
 * notesVersionCodec.test.ts: about 3 KB for 1,500 words of notes (the Yjs state of the same notes: larger,
 * and it carries the rest of the meeting's document too).
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
