import * as Y from 'yjs';
import { readChat } from '../../shared/doc/chat.ts';
import { readNetworkMap } from '../../shared/doc/networkMap.ts';
import { readParticipants } from '../../shared/doc/participants.ts';
import { readQuestions } from '../../shared/doc/questions.ts';
import { readReflectingTurns } from '../../shared/doc/reflecting.ts';
import { readReflections } from '../../shared/doc/reflections.ts';
import { getNotes } from '../../shared/doc/schema.ts';

/**
 * What a meeting document means, read through the app's own accessors: what a reader of any release must
 * find in it. Compared before and after an upgrade (the bytes may differ: a migration adds to them).
 */
export function meetingDocMeaning(doc: Y.Doc) {
  return {
    notes: getNotes(doc).toJSON(),
    reflections: readReflections(doc),
    reflectingTurns: readReflectingTurns(doc),
    chat: readChat(doc),
    participants: Object.fromEntries(readParticipants(doc)),
  };
}

/** What a network document means: its open questions and its map. */
export function networkDocMeaning(doc: Y.Doc) {
  // Views on a question came after the fixture's release: an old document has none, and they are left out
  // so that the fixture's meaning (written then) compares field for field.
  const questions = readQuestions(doc).map((question) => {
    const known: Partial<typeof question> = { ...question };
    delete known.views;
    return JSON.parse(JSON.stringify(known)) as typeof known;
  });
  return { questions, map: readNetworkMap(doc) };
}

/** A Y.Doc from stored updates (as the server loads one). */
export function docFromUpdates(updates: readonly Uint8Array[]): Y.Doc {
  const doc = new Y.Doc();
  for (const update of updates) Y.applyUpdate(doc, update);
  return doc;
}
