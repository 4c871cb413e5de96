import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { colorFor, CURSOR_COLORS, presentParticipants } from './awareness.ts';
import { getNotes, notesPlainText } from './schema.ts';

describe('notesPlainText', () => {
  it('is empty for an empty document', () => {
    expect(notesPlainText(new Y.Doc())).toBe('');
  });

  it('joins paragraphs with newlines and drops formatting', () => {
    const doc = new Y.Doc();
    const first = new Y.XmlElement('paragraph');
    const text = new Y.XmlText('Sleep is better');
    text.format(0, 5, { strong: {} });
    first.insert(0, [text]);
    const second = new Y.XmlElement('paragraph');
    second.insert(0, [new Y.XmlText('Work <is> hard')]);
    getNotes(doc).push([first, second]);
    expect(notesPlainText(doc)).toBe('Sleep is better\nWork <is> hard');
  });
});

describe('colorFor', () => {
  it('gives a participant the same colour every time, from the accessible palette', () => {
    expect(colorFor('abc')).toBe(colorFor('abc'));
    expect(CURSOR_COLORS).toContain(colorFor('someone-else'));
  });
});

describe('presentParticipants', () => {
  it('lists each participant once, by name, skipping states without a participant', () => {
    const ana = { id: 'a', name: 'Ana', role: 'practitioner' };
    const mum = { id: 'm', name: 'Mum', role: 'network_member' };
    const states = [{ participant: mum }, { user: { name: 'x', color: '#000000' } }, { participant: ana }, { participant: mum }, null, { participant: { id: 'z' } }];
    expect(presentParticipants(states)).toEqual([ana, mum]);
  });
});
