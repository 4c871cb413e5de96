import { describe, expect, it } from 'vitest';
import { spokenFor } from './formatTime.ts';

describe('spokenFor', () => {
  it('says plainly how long someone has spoken', () => {
    expect(spokenFor(0)).toBe('not heard yet');
    expect(spokenFor(0.4)).toBe('not heard yet');
    expect(spokenFor(1)).toBe('1 second');
    expect(spokenFor(42.2)).toBe('42 seconds');
    expect(spokenFor(60)).toBe('1 minute');
    expect(spokenFor(81)).toBe('1 minute 21 seconds');
    expect(spokenFor(725)).toBe('12 minutes');
  });
});
