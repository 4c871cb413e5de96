import { describe, expect, it } from 'vitest';
import { createInviteTokens } from './inviteTokens.ts';

describe('invite tokens', () => {
  const tokens = createInviteTokens(new Uint8Array(32).fill(7));

  it('gives back the invite id of a token it signed', () => {
    expect(tokens.inviteIdOf(tokens.tokenFor('abcdefghijklmnopqrstuv'))).toBe('abcdefghijklmnopqrstuv');
  });

  it('refuses a token signed with another secret, a changed id, or a malformed one', () => {
    const other = createInviteTokens(new Uint8Array(32).fill(8));
    expect(tokens.inviteIdOf(other.tokenFor('abcdefghijklmnopqrstuv'))).toBeUndefined();
    const [, signature] = tokens.tokenFor('abcdefghijklmnopqrstuv').split('.');
    expect(tokens.inviteIdOf(`bbcdefghijklmnopqrstuv.${signature}`)).toBeUndefined();
    for (const bad of ['', '.', 'abc', 'a.b.c', `${'x'.repeat(200)}.y`]) expect(tokens.inviteIdOf(bad)).toBeUndefined();
  });
});
