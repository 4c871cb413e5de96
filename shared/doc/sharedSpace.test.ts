import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { Author } from './entries.ts';
import { CHAT_HISTORY_MAX, CHAT_MESSAGE_MAX } from './entries.ts';
import { lastEndedTurn, phaseOf, readReflectingTurns, returnToNetwork, startReflecting } from './reflecting.ts';
import { addReflection, readReflections } from './reflections.ts';
import { addQuestion, decideQuestion, markDiscussed, readQuestions, reopenQuestion } from './questions.ts';
import { addPerson, connectPeople, MAP_SIZE, movePerson, readNetworkMap, removePerson } from './networkMap.ts';
import { lowerHand, raiseHand, readHands } from './hands.ts';
import { readChat, sendChatMessage } from './chat.ts';
import { readVoices, voiceRows, writeVoiceSeconds } from './voices.ts';

const ana: Author = { id: 'p-ana', name: 'Ana', role: 'practitioner' };
const pete: Author = { id: 'p-pete', name: 'Pete', role: 'peer_worker' };
const mum: Author = { id: 'p-mum', name: 'Mum', role: 'network_member' };
const t0 = new Date('2026-03-01T10:00:00.000Z');
const later = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);
const meeting = { meetingId: 'm1', meetingTitle: 'First meeting', at: t0.toISOString() };

/** Two replicas that exchange every update, as two browsers through the server do. */
function connectedPair(): [Y.Doc, Y.Doc] {
  const a = new Y.Doc();
  const b = new Y.Doc();
  a.on('update', (update: Uint8Array, origin: unknown) => origin !== 'peer' && Y.applyUpdate(b, update, 'peer'));
  b.on('update', (update: Uint8Array, origin: unknown) => origin !== 'peer' && Y.applyUpdate(a, update, 'peer'));
  return [a, b];
}

/** Merges two replicas that were edited apart (offline), both ways. */
function merge(a: Y.Doc, b: Y.Doc): void {
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)));
  Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)));
}

describe('reflecting phase', () => {
  it('starts in dialogue, switches to reflecting for everyone and back, recording the turn times and who started', () => {
    const [a, b] = connectedPair();
    expect(phaseOf(readReflectingTurns(b))).toBe('dialogue');
    expect(startReflecting(a, ana, t0)).toBe(true);
    expect(phaseOf(readReflectingTurns(b))).toBe('reflecting');
    expect(returnToNetwork(b, pete, later(8))).toBe(true);
    const turns = readReflectingTurns(a);
    expect(phaseOf(turns)).toBe('dialogue');
    expect(turns).toEqual([
      expect.objectContaining({ startedAt: t0.toISOString(), startedBy: ana, endedAt: later(8).toISOString(), endedBy: pete }),
    ]);
    expect(lastEndedTurn(turns)?.endedBy).toEqual(pete);
  });

  it('refuses a network member starting or ending reflecting', () => {
    const doc = new Y.Doc();
    expect(startReflecting(doc, mum, t0)).toBe(false);
    expect(readReflectingTurns(doc)).toEqual([]);
    startReflecting(doc, ana, t0);
    expect(returnToNetwork(doc, mum, later(1))).toBe(false);
    expect(phaseOf(readReflectingTurns(doc))).toBe('reflecting');
  });

  it('does not open a second turn while one is open', () => {
    const doc = new Y.Doc();
    startReflecting(doc, ana, t0);
    expect(startReflecting(doc, pete, later(1))).toBe(false);
    expect(readReflectingTurns(doc)).toHaveLength(1);
  });

  it('closes both turns when two team members started at once, and both replicas agree', () => {
    const a = new Y.Doc();
    const b = new Y.Doc();
    startReflecting(a, ana, t0);
    startReflecting(b, pete, t0);
    merge(a, b);
    expect(readReflectingTurns(a)).toHaveLength(2);
    expect(readReflectingTurns(a)).toEqual(readReflectingTurns(b));
    returnToNetwork(a, ana, later(5));
    merge(a, b);
    expect(phaseOf(readReflectingTurns(b))).toBe('dialogue');
    expect(lastEndedTurn(readReflectingTurns(b))).toBeDefined();
  });

  it('has no ended turn to invite a response to while reflecting', () => {
    const doc = new Y.Doc();
    startReflecting(doc, ana, t0);
    returnToNetwork(doc, ana, later(1));
    startReflecting(doc, ana, later(2));
    expect(lastEndedTurn(readReflectingTurns(doc))).toBeUndefined();
  });
});

describe('reflections', () => {
  it('keeps attributed entries in order and ignores blank ones', () => {
    const [a, b] = connectedPair();
    addReflection(a, ana, 'I noticed how much Mum cares.', t0);
    expect(addReflection(a, pete, '   ', t0)).toBeUndefined();
    addReflection(b, pete, 'Sleep came up again and again.', later(1));
    expect(readReflections(a).map((r) => [r.author.name, r.text])).toEqual([
      ['Ana', 'I noticed how much Mum cares.'],
      ['Pete', 'Sleep came up again and again.'],
    ]);
  });
});

describe('open questions', () => {
  it('adds a question discussed in this meeting, notes later meetings once each, and records a decision with who was present', () => {
    const [a, b] = connectedPair();
    const id = created(addQuestion(a, '  Medication  ', mum, meeting));
    expect(id).toBeDefined();
    const second = { meetingId: 'm2', meetingTitle: 'Second', at: later(60 * 24).toISOString() };
    markDiscussed(b, id, second);
    markDiscussed(b, id, second);
    expect(decideQuestion(a, id, { text: 'Try a lower dose for two weeks', by: ana, present: ['Ana', 'Mum', 'Mum'], meeting: second })).toBe(true);
    const [question] = readQuestions(b);
    expect(question).toMatchObject({ title: 'Medication', status: 'decided', createdBy: mum });
    expect(question?.discussedIn.map((m) => m.meetingId)).toEqual(['m1', 'm2']);
    expect(question?.decision).toMatchObject({ text: 'Try a lower dose for two weeks', decidedBy: ana, present: ['Ana', 'Mum'], meetingId: 'm2' });
    reopenQuestion(b, id);
    expect(readQuestions(a)[0]?.status).toBe('open');
  });

  it('refuses a blank title or a blank decision', () => {
    const doc = new Y.Doc();
    expect(addQuestion(doc, '  ', mum, meeting)).toBeUndefined();
    const id = created(addQuestion(doc, 'Work', mum, meeting));
    expect(decideQuestion(doc, id, { text: ' ', by: ana, present: [], meeting })).toBe(false);
    expect(readQuestions(doc)[0]?.status).toBe('open');
  });

  it('keeps both changes when one person marks a question discussed while another decides it offline', () => {
    const a = new Y.Doc();
    const id = created(addQuestion(a, 'Housing', mum, meeting));
    const b = new Y.Doc();
    merge(a, b);
    markDiscussed(a, id, { meetingId: 'm2', meetingTitle: 'Second', at: later(10).toISOString() });
    decideQuestion(b, id, { text: 'Ask the council', by: pete, present: ['Pete'], meeting });
    merge(a, b);
    expect(readQuestions(a)).toEqual(readQuestions(b));
    expect(readQuestions(a)[0]?.status).toBe('decided');
    expect(readQuestions(a)[0]?.discussedIn.map((m) => m.meetingId).sort()).toEqual(['m1', 'm2']);
  });
});

describe('network map', () => {
  it('adds people inside the map, moves them, connects them once, and removes a person with their connections', () => {
    const [a, b] = connectedPair();
    const gran = created(addPerson(a, { name: 'Gran', relationship: 'grandmother', closeness: 1 }));
    const tom = created(addPerson(b, { name: 'Tom', relationship: 'friend from school', closeness: 3 }));
    for (const person of readNetworkMap(a).people) {
      expect(person.x).toBeGreaterThan(0);
      expect(person.x).toBeLessThan(MAP_SIZE.width);
      expect(person.y).toBeGreaterThan(0);
      expect(person.y).toBeLessThan(MAP_SIZE.height);
    }
    movePerson(b, gran, 5000, -20);
    const moved = readNetworkMap(a).people.find((p) => p.id === gran);
    expect(moved?.x).toBeLessThan(MAP_SIZE.width);
    expect(moved?.y).toBeGreaterThan(0);
    const link = connectPeople(a, gran, tom);
    expect(connectPeople(b, tom, gran)).toBe(link);
    expect(connectPeople(b, tom, tom)).toBeUndefined();
    expect(readNetworkMap(b).connections).toHaveLength(1);
    removePerson(b, tom);
    expect(readNetworkMap(a)).toEqual({ people: [expect.objectContaining({ name: 'Gran' })], connections: [] });
  });

  it('drops a connection whose person was removed concurrently', () => {
    const a = new Y.Doc();
    const x = created(addPerson(a, { name: 'X', relationship: '', closeness: 2 }));
    const y = created(addPerson(a, { name: 'Y', relationship: '', closeness: 2 }));
    const b = new Y.Doc();
    merge(a, b);
    removePerson(a, y);
    connectPeople(b, x, y);
    merge(a, b);
    expect(readNetworkMap(a).connections).toEqual([]);
    expect(readNetworkMap(b).connections).toEqual([]);
  });
});

describe('raised hands', () => {
  it('shows the same queue order on every replica, once per person, and lowers a hand wherever it is', () => {
    const a = new Y.Doc();
    const b = new Y.Doc();
    raiseHand(a, mum, t0);
    raiseHand(b, pete, t0);
    raiseHand(b, pete, t0);
    merge(a, b);
    raiseHand(a, ana, later(1));
    merge(a, b);
    const order = readHands(a).map((h) => h.who.name);
    expect(order).toHaveLength(3);
    expect(readHands(b).map((h) => h.who.name)).toEqual(order);
    expect(order.at(-1)).toBe('Ana');
    lowerHand(b, pete.id);
    merge(a, b);
    expect(readHands(a).map((h) => h.who.name)).toEqual(order.filter((n) => n !== 'Pete'));
  });
});

describe('chat', () => {
  it('attributes messages, cuts long ones, ignores blank ones and keeps only the newest', () => {
    const doc = new Y.Doc();
    expect(sendChatMessage(doc, mum, '   ', t0)).toBeUndefined();
    sendChatMessage(doc, mum, 'x'.repeat(CHAT_MESSAGE_MAX + 50), t0);
    expect(readChat(doc)[0]?.text).toHaveLength(CHAT_MESSAGE_MAX);
    for (let i = 0; i < CHAT_HISTORY_MAX + 5; i++) sendChatMessage(doc, ana, `message ${i}`, later(i));
    const chat = readChat(doc);
    expect(chat).toHaveLength(CHAT_HISTORY_MAX);
    expect(chat.at(-1)?.text).toBe(`message ${CHAT_HISTORY_MAX + 4}`);
    expect(chat.at(-1)?.author).toEqual(ana);
  });
});

describe('voices', () => {
  it('stores each person’s own total and lists everyone present, including those not heard yet, by name', () => {
    const [a, b] = connectedPair();
    writeVoiceSeconds(a, ana, 12.34);
    writeVoiceSeconds(b, mum, 3);
    const rejoinedMum: Author = { ...mum, id: 'p-mum-2' };
    writeVoiceSeconds(b, rejoinedMum, 2);
    const rows = voiceRows(readVoices(a).values(), [ana, rejoinedMum, pete]);
    expect(rows).toEqual([
      { name: 'Ana', role: 'practitioner', seconds: 12.3, present: true },
      { name: 'Mum', role: 'network_member', seconds: 5, present: true },
      { name: 'Pete', role: 'peer_worker', seconds: 0, present: true },
    ]);
  });

  it('does not write when the total has not changed', () => {
    const doc = new Y.Doc();
    writeVoiceSeconds(doc, ana, 4);
    let updates = 0;
    doc.on('update', () => updates++);
    writeVoiceSeconds(doc, ana, 4.01);
    expect(updates).toBe(0);
  });
});

/** The id an accessor answered, failing the test plainly when it refused to create the entry. */
function created(id: string | undefined): string {
  if (id === undefined) throw new Error('expected the entry to be created, but the accessor refused it');
  return id;
}
