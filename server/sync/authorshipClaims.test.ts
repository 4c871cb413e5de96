import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { claimAuthorship, createNoteAuthorship } from '../../shared/doc/noteAuthorship.ts';
import { claimsOnlyOwnAuthorship } from './authorshipClaims.ts';

/** What `change` on a copy of the server's document sends the server, decoded. */
function sent(server: Y.Doc, change: (doc: Y.Doc) => void, clientId?: number): { update: Uint8Array; structs: (Y.Item | Y.GC | Y.Skip)[]; clientId: number } {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(server));
  if (clientId !== undefined) doc.clientID = clientId;
  const before = Y.encodeStateVector(doc);
  change(doc);
  const update = Y.encodeStateAsUpdate(doc, before);
  return { update, structs: Y.decodeUpdate(update).structs, clientId: doc.clientID };
}

const claim = (participantId: string) => (doc: Y.Doc) => claimAuthorship(createNoteAuthorship(doc), doc, participantId);

describe('the notes authorship map takes only the writer\'s own claims', () => {
  it('lets a writer file their own client id under their own id, on first join and on a rejoin', () => {
    const server = new Y.Doc();
    const first = sent(server, claim('user-pat'));
    expect(claimsOnlyOwnAuthorship(server, first.structs, 'user-pat', (id) => id === first.clientId)).toBe(true);
    Y.applyUpdate(server, first.update);
    const again = sent(server, claim('user-pat'));
    expect(claimsOnlyOwnAuthorship(server, again.structs, 'user-pat', (id) => id === again.clientId)).toBe(true);
  });

  it('refuses filing under another person, and filing another person\'s client id under oneself', () => {
    const server = new Y.Doc();
    const pats = sent(server, claim('user-pat'));
    Y.applyUpdate(server, pats.update);
    const asPat = sent(server, claim('user-pat'));
    expect(claimsOnlyOwnAuthorship(server, asPat.structs, 'member-sam', (id) => id === asPat.clientId)).toBe(false);
    const stolen = sent(server, (doc) => createNoteAuthorship(doc).setUserMapping(doc, pats.clientId, 'member-sam', { filter: () => false }));
    expect(claimsOnlyOwnAuthorship(server, stolen.structs, 'member-sam', (id) => id === stolen.clientId)).toBe(false);
  });

  it('leaves everything else in the document alone', () => {
    const server = new Y.Doc();
    const typed = sent(server, (doc) => doc.getXmlFragment('notes').push([new Y.XmlText('hello')]));
    expect(claimsOnlyOwnAuthorship(server, typed.structs, 'member-sam', () => false)).toBe(true);
  });
});
