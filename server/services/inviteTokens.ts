import { createHmac, timingSafeEqual } from 'node:crypto';

const MAX_TOKEN_LENGTH = 128;

/**
 * Invite links carry `<inviteId>.<signature>`: the signature proves the server made the link, the store
 * says whether it has expired or been revoked. A key derived for this purpose keeps invite signatures
 * apart from every other use of the server secret.
 */
export function createInviteTokens(serverSecret: Uint8Array) {
  const key = createHmac('sha256', serverSecret).update('polyphony invite tokens v1').digest();
  const sign = (inviteId: string) => createHmac('sha256', key).update(inviteId).digest('base64url');
  return {
    tokenFor: (inviteId: string): string => `${inviteId}.${sign(inviteId)}`,
    /** The invite id if the token is well formed and correctly signed; undefined otherwise. */
    inviteIdOf(token: string): string | undefined {
      if (token.length > MAX_TOKEN_LENGTH) return undefined;
      const [inviteId, signature, extra] = token.split('.');
      if (!inviteId || !signature || extra !== undefined) return undefined;
      const expected = Buffer.from(sign(inviteId));
      const actual = Buffer.from(signature);
      return actual.length === expected.length && timingSafeEqual(actual, expected) ? inviteId : undefined;
    },
  };
}

export type InviteTokens = ReturnType<typeof createInviteTokens>;
