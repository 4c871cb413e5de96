import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { claimAuthorship, createNoteAuthorship, notesByAuthor } from './noteAuthorship.ts';
import { waitingForWhom } from '../api/waitingForWhom.ts';
import { readParticipants, recordParticipant, teamNamesSeen } from './participants.ts';
import { getNotes } from './schema.ts';

/** Two devices kept in step by exchanging every update, as the sync server would. */
function twoDevices(): [Y.Doc, Y.Doc] {
  const a = new Y.Doc();
  const b = new Y.Doc();
  a.on('update', (update: Uint8Array, origin: unknown) => origin !== 'peer' && Y.applyUpdate(b, update, 'peer'));
  b.on('update', (update: Uint8Array, origin: unknown) => origin !== 'peer' && Y.applyUpdate(a, update, 'peer'));
  return [a, b];
}

function paragraph(doc: Y.Doc, text: string): Y.XmlText {
  const element = new Y.XmlElement('paragraph');
  const content = new Y.XmlText(text);
  element.insert(0, [content]);
  getNotes(doc).push([element]);
  return content;
}

describe('notesByAuthor', () => {
  it('tells whose passage is whose, within one paragraph and across paragraphs', () => {
    const [alexDoc, samDoc] = twoDevices();
    claimAuthorship(createNoteAuthorship(alexDoc), alexDoc, 'user-alex');
    claimAuthorship(createNoteAuthorship(samDoc), samDoc, 'member-sam');
    const first = paragraph(alexDoc, 'Jo slept better.');
    const samsText = (getNotes(samDoc).get(0) as Y.XmlElement).get(0) as Y.XmlText;
    samsText.insert(first.length, ' And ate more.');
    paragraph(samDoc, 'Gran visited.');

    const seenByAlex = notesByAuthor(alexDoc, createNoteAuthorship(alexDoc));
    expect(seenByAlex).toEqual([
      [
        { text: 'Jo slept better.', authorId: 'user-alex' },
        { text: ' And ate more.', authorId: 'member-sam' },
      ],
      [{ text: 'Gran visited.', authorId: 'member-sam' }],
    ]);
  });

  it('leaves out deleted text and marks text from unknown clients as having no known author', () => {
    const doc = new Y.Doc();
    const text = paragraph(doc, 'Written before anyone claimed.');
    const authorship = createNoteAuthorship(doc);
    text.delete(0, 'Written '.length);
    expect(notesByAuthor(doc, authorship)).toEqual([[{ text: 'before anyone claimed.', authorId: undefined }]]);
    // Claiming later still attributes what this client wrote before.
    claimAuthorship(authorship, doc, 'user-alex');
    expect(notesByAuthor(doc, authorship)).toEqual([[{ text: 'before anyone claimed.', authorId: 'user-alex' }]]);
  });

  it('keeps a returning person’s earlier passages theirs when they claim again after syncing', () => {
    const [first, server] = twoDevices();
    claimAuthorship(createNoteAuthorship(first), first, 'member-sam');
    paragraph(first, 'Before the break.');
    // Sam comes back on a new device (a new client id), in step with the server before claiming.
    const again = new Y.Doc();
    Y.applyUpdate(again, Y.encodeStateAsUpdate(server));
    const authorship = createNoteAuthorship(again);
    claimAuthorship(authorship, again, 'member-sam');
    paragraph(again, 'After the break.');
    expect(notesByAuthor(again, authorship).map((runs) => runs.map((r) => r.authorId))).toEqual([['member-sam'], ['member-sam']]);
  });
});

describe('participants', () => {
  it('names the team members who have joined, once each, for the waiting screen', () => {
    const doc = new Y.Doc();
    expect(waitingForWhom(teamNamesSeen(doc))).toBe('the team');
    recordParticipant(doc, { id: 'user-p', name: 'Pete', role: 'peer_worker' });
    recordParticipant(doc, { id: 'member-s', name: 'Sam', role: 'network_member' });
    expect(waitingForWhom(teamNamesSeen(doc))).toBe('Pete');
    recordParticipant(doc, { id: 'user-a', name: 'Alex', role: 'practitioner' });
    recordParticipant(doc, { id: 'user-a2', name: 'Alex', role: 'practitioner' });
    recordParticipant(doc, { id: 'user-k', name: 'Kim', role: 'practitioner' });
    expect(waitingForWhom(teamNamesSeen(doc))).toBe('Alex, Kim and Pete');
  });

  it('writes nothing when the same person joins again under the same name, and skips malformed entries', () => {
    const doc = new Y.Doc();
    const sam = { id: 'member-s', name: 'Sam', role: 'network_member' } as const;
    recordParticipant(doc, sam);
    let updates = 0;
    doc.on('update', () => updates++);
    recordParticipant(doc, sam);
    expect(updates).toBe(0);
    doc.getMap('participants').set('member-x', { id: 'someone-else', name: 'X', role: 'network_member' });
    expect([...readParticipants(doc).values()]).toEqual([sam]);
  });
});
