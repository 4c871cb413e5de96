import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addQuestion, readQuestions, setView } from './questions.ts';
import { getQuestions } from './schema.ts';

const ana = { id: 'ana', name: 'Ana', role: 'practitioner' as const };
const mum = { id: 'mum', name: 'Mum', role: 'network_member' as const };
const first = { meetingId: 'm1', meetingTitle: 'First', at: '2026-03-01T10:00:00.000Z' };
const second = { meetingId: 'm2', meetingTitle: 'Second', at: '2026-03-08T10:00:00.000Z' };

describe('views on an open question', () => {
  it('keeps one view per person and meeting, replaced by their next, removed when blank', () => {
    const doc = new Y.Doc();
    const id = addQuestion(doc, 'Medication?', ana, first) ?? '';
    setView(doc, id, { text: 'Wait', by: ana, meeting: first, now: new Date('2026-03-01T10:05:00.000Z') });
    setView(doc, id, { text: 'Lower it', by: mum, meeting: first, now: new Date('2026-03-01T10:06:00.000Z') });
    setView(doc, id, { text: 'Wait two weeks', by: ana, meeting: first, now: new Date('2026-03-01T10:07:00.000Z') });
    setView(doc, id, { text: 'Still lower it', by: mum, meeting: second, now: new Date('2026-03-08T10:01:00.000Z') });
    expect(readQuestions(doc)[0]?.views.map((v) => [v.meetingId, v.author.name, v.text])).toEqual([
      ['m1', 'Mum', 'Lower it'],
      ['m1', 'Ana', 'Wait two weeks'],
      ['m2', 'Mum', 'Still lower it'],
    ]);
    expect(readQuestions(doc)[0]?.discussedIn.map((m) => m.meetingId)).toEqual(['m1', 'm2']);
    setView(doc, id, { text: '   ', by: mum, meeting: second, now: new Date() });
    expect(readQuestions(doc)[0]?.views).toHaveLength(2);
  });

  it('ignores a view stored under someone else’s key', () => {
    const doc = new Y.Doc();
    const id = addQuestion(doc, 'Medication?', ana, first) ?? '';
    const question = getQuestions(doc).get(id) as Y.Map<unknown>;
    question.set('view:m1:ana', { author: mum, text: 'Forged', writtenAt: first.at, meetingId: 'm1' });
    expect(readQuestions(doc)[0]?.views).toEqual([]);
  });

  it('is refused for a question that does not exist', () => {
    expect(setView(new Y.Doc(), 'nope', { text: 'x', by: ana, meeting: first, now: new Date() })).toBe(false);
  });
});
