import { z } from 'zod';

/**
 * Identifiers are 128 random bits in base64url (22 characters), so they cannot be guessed or enumerated.
 * A join link carries one; knowing it is (until invites arrive) what lets a person in.
 */
export const RandomId = z.string().regex(/^[A-Za-z0-9_-]{22}$/, 'not a valid id');
/** A {@link RandomId}. */
export type RandomId = z.infer<typeof RandomId>;
