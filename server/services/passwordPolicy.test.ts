import { describe, expect, it } from 'vitest';
import { checkNewPassword } from './passwordPolicy.ts';

const ana = { email: 'ana.lopez@team.org', name: 'Ana Lopez' };
const refusal = (password: string): string => {
  try {
    checkNewPassword(password, ana);
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
  return 'accepted';
};

describe('checkNewPassword (security review: "aaaaaaaaaaaa" was an accepted password)', () => {
  it('refuses "aaaaaaaaaaaa" and "password1234", saying the length to use', () => {
    expect(refusal('aaaaaaaaaaaa')).toMatch(/at least 15 characters/);
    expect(refusal('password1234')).toMatch(/at least 15 characters/);
  });

  it('refuses long passwords that repeat, run in order, walk the keyboard or are common, saying which', () => {
    expect(refusal('aaaaaaaaaaaaaaaa')).toMatch(/repeats/);
    expect(refusal('Password!Password!')).toMatch(/repeats/);
    expect(refusal('abcdefghijklmnopq')).toMatch(/in order/);
    expect(refusal('123456789012345678')).toMatch(/in order|common/);
    expect(refusal('password12345678')).toMatch(/common/);
    expect(refusal('qwertyuiopasdfgh')).toMatch(/too easy to guess/);
    expect(refusal('iloveyou12345678')).toMatch(/too easy to guess/);
  });

  it('refuses passwords built from the person\'s name, email or the word Polyphony', () => {
    expect(refusal('ana-polyphony-ana')).toMatch(/your name, your email or the word "Polyphony"/);
    expect(refusal('polyphony polyphony')).toMatch(/Polyphony/);
    expect(refusal('ana.lopez.ana.lopez')).toMatch(/your name/);
  });

  it('accepts passphrases of a few unrelated words, and refuses more than 128 characters', () => {
    expect(refusal('correct horse battery staple')).toBe('accepted');
    expect(refusal('blue lantern quietly dances')).toBe('accepted');
    expect(refusal('lantern polyphony river spoon march')).toBe('accepted');
    expect(refusal('x7'.repeat(65))).toMatch(/at most 128/);
  });
});
