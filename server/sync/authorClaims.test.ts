import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import type { Author } from '../../shared/doc/entries.ts';
import { addQuestion, decideQuestion } from '../../shared/doc/questions.ts';
import { startReflecting, returnToNetwork } from '../../shared/doc/reflecting.ts';
import { addReflection } from '../../shared/doc/reflections.ts';
import { sendChatMessage } from '../../shared/doc/chat.ts';
import { recordParticipant } from '../../shared/doc/participants.ts';
import { namesOnlyWriter, type WriterIdentity } from './authorClaims.ts';

const pat: Author = { id: 'user-pat', name: 'Pat', role: 'practitioner' };
const sam: Author = { id: 'member-sam', name: 'Sam', role: 'network_member' };
const asPat: WriterIdentity = { id: pat.id, role: 'practitioner' };
const asSam: WriterIdentity = { id: sam.id, role: 'network_member' };
const now = new Date('2026-12-01T10:00:00.000Z');
const mention = { meetingId: 'm1', meetingTitle: 'Meeting', at: now.toISOString() };

/** The server's copy, and what one client's edit sends it. */
function edit(server: Y.Doc, change: (doc: Y.Doc) => void): Y.Doc & { structs: (Y.Item | Y.GC | Y.Skip)[]; update: Uint8Array } {
  const client = new Y.Doc();
  Y.applyUpdate(client, Y.encodeStateAsUpdate(server));
  const before = Y.encodeStateVector(client);
  change(client);
  const update = Y.encodeStateAsUpdate(client, before);
  return Object.assign(client, { update, structs: Y.decodeUpdate(update).structs });
}

describe('an update names only its writer as an author', () => {
  it('lets the app write as itself: chat, reflection, question, decision, participants', () => {
    const server = new Y.Doc();
    for (const change of [
      (d: Y.Doc) => sendChatMessage(d, sam, 'hello', now),
      (d: Y.Doc) => recordParticipant(d, sam),
    ]) expect(namesOnlyWriter(server, edit(server, change).structs, asSam)).toBe(true);
    const questionEdit = edit(server, (d) => addQuestion(d, 'Sleep?', pat, mention));
    expect(namesOnlyWriter(server, questionEdit.structs, asPat)).toBe(true);
    Y.applyUpdate(server, questionEdit.update);
    const id = [...server.getMap('questions').keys()][0] ?? '';
    const decided = edit(server, (d) => decideQuestion(d, id, { text: 'Wait a week', by: pat, present: ['Pat'], meeting: mention }));
    expect(namesOnlyWriter(server, decided.structs, asPat)).toBe(true);
    expect(namesOnlyWriter(server, edit(server, (d) => addReflection(d, pat, 'calmer', now)).structs, asPat)).toBe(true);
  });

  it('refuses a network member writing a reflection, a chat line, a decision or a participant entry as a practitioner', () => {
    const server = new Y.Doc();
    Y.applyUpdate(server, edit(server, (d) => addQuestion(d, 'Sleep?', pat, mention)).update);
    const id = [...server.getMap('questions').keys()][0] ?? '';
    for (const change of [
      (d: Y.Doc) => addReflection(d, pat, 'forged', now),
      (d: Y.Doc) => sendChatMessage(d, pat, 'forged', now),
      (d: Y.Doc) => decideQuestion(d, id, { text: 'stop all contact', by: pat, present: [], meeting: mention }),
      (d: Y.Doc) => recordParticipant(d, pat),
      (d: Y.Doc) => addQuestion(d, 'forged', pat, mention),
    ]) expect(namesOnlyWriter(server, edit(server, change).structs, asSam)).toBe(false);
  });

  it('refuses the writer\'s own id under another role, but not another name (people choose the name they join under)', () => {
    const server = new Y.Doc();
    expect(namesOnlyWriter(server, edit(server, (d) => addReflection(d, { ...sam, role: 'practitioner' }, 'x', now)).structs, asSam)).toBe(false);
    expect(namesOnlyWriter(server, edit(server, (d) => addReflection(d, { ...sam, name: 'Mum' }, 'x', now)).structs, asSam)).toBe(true);
  });

  it('lets someone end a turn a colleague started: the colleague stays as they were', () => {
    const server = new Y.Doc();
    Y.applyUpdate(server, edit(server, (d) => startReflecting(d, pat, now)).update);
    const peer: Author = { id: 'user-pia', name: 'Pia', role: 'peer_worker' };
    const ended = edit(server, (d) => returnToNetwork(d, peer, now));
    expect(namesOnlyWriter(server, ended.structs, { id: peer.id, role: 'peer_worker' })).toBe(true);
    // But not to rewrite who started it.
    const turns = server.getMap('reflectingTurns');
    const [turnId, turn] = [...turns.entries()][0] ?? ['', {}];
    const rewritten = edit(server, (d) => d.getMap('reflectingTurns').set(turnId, { ...(turn as object), startedBy: sam }));
    expect(namesOnlyWriter(server, rewritten.structs, { id: peer.id, role: 'peer_worker' })).toBe(false);
  });

  it('does not take a neighbouring entry\'s author as one to keep (a reflection pushed after the practitioner\'s)', () => {
    const server = new Y.Doc();
    Y.applyUpdate(server, edit(server, (d) => addReflection(d, pat, 'mine', now)).update);
    expect(namesOnlyWriter(server, edit(server, (d) => addReflection(d, pat, 'forged', now)).structs, asSam)).toBe(false);
  });

  it('skips content the server already holds (a reconnect sends it back)', () => {
    const server = new Y.Doc();
    const byPat = edit(server, (d) => addReflection(d, pat, 'mine', now));
    Y.applyUpdate(server, byPat.update);
    expect(namesOnlyWriter(server, byPat.structs, asSam)).toBe(true);
  });
});
