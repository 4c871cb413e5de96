import { describe, expect, it } from 'vitest';
import { meetingAboutText } from './meetingAbout.ts';

describe('whom a meeting is about', () => {
  it('names the person to everyone else, and speaks to the person themselves', () => {
    expect(meetingAboutText({ name: 'Jo', isYou: false })).toBe('This meeting is about Jo');
    expect(meetingAboutText({ name: 'Jo', isYou: true })).toBe('This meeting is about you');
  });
});
