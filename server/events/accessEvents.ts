import { z } from 'zod';
import { RandomId } from '../../shared/api/ids.ts';

/**
 * Something that takes access away from someone. Every consumer that holds access open (sync sockets,
 * LiveKit rooms) reacts to these within a second, in whichever process the change was made (the server,
 * the ops CLI, later another instance). Ids only: an event never carries a name or any content.
 *
 * The store stays the truth: an event says *when* to look again, and consumers re-check the store rather
 * than trust the event's details, so a late, repeated or replayed event can only close too much, never
 * let anyone back in.
 */
/**
 * One event's name, the same in every process that hears it: what makes acting on it once across instances
 * possible (a media-key rotation, mediaKeys.ts). Set when published, or derived from what the event is about
 * (an expiry). Optional: rows written before it existed still parse.
 */
export const AccessEventId = z.string().regex(/^[A-Za-z0-9:._-]{1,200}$/);
const named = { eventId: AccessEventId.optional() };

export const AccessEvent = z.discriminatedUnion('kind', [
  z.object({ ...named, kind: z.literal('invite_revoked'), inviteId: RandomId, networkId: RandomId, memberId: RandomId }),
  /** Emitted at the moment the invite's expiry passes (each process derives these from the store itself). */
  z.object({ ...named, kind: z.literal('invite_expired'), inviteId: RandomId, networkId: RandomId, memberId: RandomId }),
  z.object({ ...named, kind: z.literal('team_unassigned'), networkId: RandomId, userId: RandomId }),
  /** The account can no longer act anywhere; `networkIds` are the networks it was taken off. */
  z.object({ ...named, kind: z.literal('user_deactivated'), userId: RandomId, networkIds: z.array(RandomId).max(100_000) }),
  /** Some login sessions of the account ended (logout, password reset, ended by an admin): their tickets die with them. */
  z.object({ ...named, kind: z.literal('sessions_ended'), userId: RandomId }),
  z.object({ ...named, kind: z.literal('network_erased'), networkId: RandomId, meetingIds: z.array(RandomId).max(100_000) }),
  /** The meeting's record is sealed: no more writes, and its video room must not come back. */
  z.object({ ...named, kind: z.literal('meeting_ended'), meetingId: RandomId, networkId: RandomId }),
]);
export type AccessEvent = z.infer<typeof AccessEvent>;

/** Parses an event that came from outside this process; undefined (never a throw) for anything malformed. */
export function parseAccessEvent(text: string): AccessEvent | undefined {
  try {
    const parsed = AccessEvent.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
