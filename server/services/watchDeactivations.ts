import { errorFields, type Logger } from '../log.ts';
import type { UserStore } from '../store/userStore.ts';

/**
 * Deactivations made outside this process (the ops CLI, another instance) reach this one by polling the
 * store: every few seconds, accounts deactivated since the last look get `onDeactivated` here too, with
 * the networks they were taken off, so their sockets and video close. A deactivation made through this
 * server's own API is seen here again; closing what is already closed does nothing, so that is harmless.
 * Returns a function that stops watching.
 */
export function watchDeactivations(
  users: UserStore,
  onDeactivated: (userId: string, networkIds: string[]) => Promise<void>,
  logger: Logger,
  intervalMs = 2_000,
): () => void {
  let since = new Date().toISOString();
  const look = async () => {
    for (const { id, deactivatedAt, networkIds } of await users.deactivatedSince(since)) {
      since = deactivatedAt > since ? deactivatedAt : since;
      await onDeactivated(id, networkIds);
    }
  };
  const timer = setInterval(() => void look().catch((error: unknown) => logger.error('deactivation_watch_failed', errorFields(error))), intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
