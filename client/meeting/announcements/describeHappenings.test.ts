import { describe, expect, it } from 'vitest';
import { CHAT_READ_MAX, describeHappenings, type Happening } from './describeHappenings.ts';

const sam = { id: 'p-sam', name: 'Sam' };
const ivy = { id: 'p-ivy', name: 'Ivy' };
const kim = { id: 'p-kim', name: 'Kim' };
const ben = { id: 'p-ben', name: 'Ben' };

describe('describeHappenings', () => {
  it('says who joined and who left, merging names of one burst', () => {
    expect(describeHappenings([{ kind: 'joined', ...sam }])).toBe('Sam joined.');
    expect(describeHappenings([{ kind: 'joined', ...sam }, { kind: 'joined', ...ivy }, { kind: 'left', ...kim }])).toBe('Sam and Ivy joined. Kim left.');
    expect(describeHappenings([sam, ivy, kim].map((p) => ({ kind: 'joined' as const, ...p })))).toBe('Sam, Ivy and Kim joined.');
  });

  it('counts people instead of naming them when many arrive at once', () => {
    expect(describeHappenings([sam, ivy, kim, ben].map((p) => ({ kind: 'joined' as const, ...p })))).toBe('4 people joined.');
  });

  it('tells a newcomer who is already here', () => {
    expect(describeHappenings([{ kind: 'here', ...kim }])).toBe('Kim is here.');
    expect(describeHappenings([{ kind: 'here', ...kim }, { kind: 'here', ...ben }])).toBe('Kim and Ben are here.');
  });

  it('says nothing of someone whose connection dropped and came back within the burst', () => {
    expect(describeHappenings([{ kind: 'left', ...sam }, { kind: 'joined', ...sam }])).toBe('');
    expect(describeHappenings([{ kind: 'joined', ...sam }, { kind: 'left', ...sam }, { kind: 'joined', ...ivy }])).toBe('Ivy joined.');
  });

  it('names each person once even when their presence changed twice', () => {
    expect(describeHappenings([{ kind: 'joined', ...sam }, { kind: 'joined', ...sam }])).toBe('Sam joined.');
  });

  it('says whose hands went up and down, and where each hand ended up', () => {
    const raised = (p: typeof sam): Happening => ({ kind: 'handRaised', ...p, mine: false });
    const lowered = (p: typeof sam, mine = false): Happening => ({ kind: 'handLowered', ...p, mine });
    expect(describeHappenings([raised(sam)])).toBe('Sam raised their hand.');
    expect(describeHappenings([raised(sam), raised(ivy)])).toBe('Sam and Ivy raised their hands.');
    expect(describeHappenings([lowered(sam)])).toBe('Sam’s hand was lowered.');
    expect(describeHappenings([raised(sam), lowered(sam)])).toBe('Sam’s hand was lowered.');
    expect(describeHappenings([lowered(kim, true)])).toBe('Your hand was lowered.');
  });

  it('reads a short chat message out with its sender, and only names the sender of a long one', () => {
    expect(describeHappenings([{ kind: 'chat', ...sam, text: 'Can  we\nhave a break?' }])).toBe('Chat from Sam: Can we have a break?');
    const long = 'a'.repeat(CHAT_READ_MAX + 1);
    expect(describeHappenings([{ kind: 'chat', ...sam, text: long }])).toBe('Sam wrote a long message in the chat.');
  });

  it('counts a burst of chat messages and says whom they are from, without reading them all', () => {
    const burst: Happening[] = [
      { kind: 'chat', ...sam, text: 'one' },
      { kind: 'chat', ...ivy, text: 'two' },
      { kind: 'chat', ...sam, text: 'three' },
    ];
    expect(describeHappenings(burst)).toBe('3 new chat messages, from Sam and Ivy.');
  });

  it('puts the phase first, as it stands at the end of the burst', () => {
    expect(describeHappenings([{ kind: 'joined', ...sam }, { kind: 'phase', phase: 'reflecting' }])).toBe(
      'The team has started reflecting. You are welcome to listen. Sam joined.',
    );
    expect(describeHappenings([{ kind: 'phase', phase: 'reflecting' }, { kind: 'phase', phase: 'dialogue' }])).toBe(
      'The team has finished reflecting. Back to everyone.',
    );
  });
});
