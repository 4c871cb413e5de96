import { errorFields, type Logger } from '../log.ts';
import type { InviteStore } from '../store/inviteStore.ts';
import type { AccessEvent } from './accessEvents.ts';

/**
 * Turns the passing of an invite's expiry into an `invite_expired` event at that moment (within
 * `intervalMs`), so that a person whose link runs out mid-meeting leaves the call and the shared space
 * then, not at their next reconnect. Every process derives these from the store for itself, so they are
 * delivered locally, not through the outbox. Returns a function that stops watching.
 */
export function watchInviteExpiry(options: {
  invites: InviteStore;
  deliver: (event: AccessEvent) => Promise<void>;
  logger: Logger;
  intervalMs?: number;
  now?: () => Date;
}): () => void {
  const now = options.now ?? (() => new Date());
  let since = now().toISOString();
  let looking = false;
  const look = async (): Promise<void> => {
    const upTo = now().toISOString();
    for (const invite of await options.invites.expiredBetween(since, upTo)) {
      // Every instance derives this one itself: the name is what it is about, so they all give it the same.
      await options.deliver({ kind: 'invite_expired', eventId: `invite_expired:${invite.id}:${invite.expiresAt}`, inviteId: invite.id, networkId: invite.networkId, memberId: invite.memberId });
    }
    since = upTo;
  };
  const timer = setInterval(() => {
    if (looking) return;
    looking = true;
    look()
      .catch((error: unknown) => options.logger.error('invite_expiry_watch_failed', errorFields(error)))
      .finally(() => {
        looking = false;
      });
  }, options.intervalMs ?? 250);
  timer.unref();
  return () => clearInterval(timer);
}
