import { createHmac } from 'node:crypto';
import type { LoginFailureStore } from '../store/loginFailureStore.ts';
import { MAX_KEPT, type FailureLog } from './loginThrottle.ts';

/** Separates these hashes from every other use of the server secret. */
const HMAC_LABEL = 'polyphony login failure key v1\n';

/**
 * The login throttle's failures in the store, shared by every instance on it. Keys are stored as an
 * HMAC under the server secret: an email or an address is never written, and a copy of the table alone
 * cannot be tested against guesses (an address space is small enough to try whole with a plain hash).
 */
export function createFailureLogInStore(options: { store: LoginFailureStore; serverSecret: Uint8Array; windowMs: number; now?: () => number }): FailureLog {
  const { store, serverSecret, windowMs } = options;
  const now = options.now ?? Date.now;
  const hashed = (key: string) => createHmac('sha256', serverSecret).update(HMAC_LABEL + key).digest('base64url');
  const iso = (ms: number) => new Date(ms).toISOString();
  return {
    async recent(key) {
      return (await store.recent(hashed(key), iso(now() - windowMs), MAX_KEPT)).map((at) => Date.parse(at));
    },
    add: (keys) => store.add(keys.map(hashed), iso(now()), iso(now() - windowMs)),
    forget: (key) => store.forget(hashed(key)),
  };
}
