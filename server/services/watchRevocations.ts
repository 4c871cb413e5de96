import { errorFields, type Logger } from '../log.ts';
import type { InviteRecord, InviteStore } from '../store/inviteStore.ts';

/**
 * Revocations made outside this process (the ops CLI, another instance) reach this one by polling the
 * store: every few seconds, invites revoked since the last look have their sockets closed here too.
 * Returns a function that stops watching.
 */
export function watchRevocations(
  invites: InviteStore,
  onRevoked: (invite: InviteRecord) => Promise<void>,
  logger: Logger,
  intervalMs = 2_000,
): () => void {
  let since = new Date().toISOString();
  const look = async () => {
    const revoked = await invites.revokedSince(since);
    for (const { id, revokedAt } of revoked) {
      since = revokedAt > since ? revokedAt : since;
      const invite = await invites.byId(id);
      if (invite) await onRevoked(invite);
    }
  };
  const timer = setInterval(() => void look().catch((error: unknown) => logger.error('revocation_watch_failed', errorFields(error))), intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
