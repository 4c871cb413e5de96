/**
 * Slows password guessing without letting a stranger lock a team member out.
 *
 * Failures are counted in a sliding window under three keys:
 * - the (account, address) pair: after a few failures that pair must wait, doubling each time (up to the
 *   window). Only that pair: the person at their own address is never held up by someone else's guessing.
 * - the address: past many failures across accounts it is refused for the rest of the window (one source
 *   guessing many accounts). Behind a reverse proxy this is the real client address (TRUSTED_PROXIES).
 * - the account: past some failures, attempts on it from addresses that have themselves been failing wait
 *   a short, growing delay before their password is checked. A slowdown, never a refusal, and an address
 *   that has not been failing is not slowed at all.
 *
 * Where the failures are kept is a {@link FailureLog}: the store on a server (failureLogInStore.ts), so
 * that every instance behind a load balancer counts the same failures and a restart forgets nothing; in
 * memory for tests. Keys are only ever compared, so the store keeps a keyed hash of them, never an email
 * or an address.
 */
export interface LoginThrottleOptions {
  now?: () => number;
  windowMs?: number;
  pairFreeFailures?: number;
  addressMaxFailures?: number;
  accountFreeFailures?: number;
  accountMaxDelayMs?: number;
  /** Keys kept by the in-memory log (when `failures` is omitted). */
  maxKeys?: number;
  /** Where failures are counted; in this process's memory if omitted. */
  failures?: FailureLog;
}

/** Failure times per key within the throttle's window. */
export interface FailureLog {
  /** The failure times (ms) under `key` within the window, oldest first, at most MAX_KEPT (the newest). */
  recent(key: string): Promise<number[]>;
  /** One failure, counted under each of `keys`. */
  add(keys: readonly string[]): Promise<void>;
  forget(key: string): Promise<void>;
}

/** Whether a login attempt may go ahead now, and how long to wait before checking its password. */
export type ThrottleDecision = { allowed: true; delayMs: number } | { allowed: false; retryAfterSeconds: number };

/** Failure times kept per key: more than any threshold needs (the address limit is capped to it). */
export const MAX_KEPT = 256;

export function createLoginThrottle(options: LoginThrottleOptions = {}) {
  const now = options.now ?? Date.now;
  const windowMs = options.windowMs ?? LOGIN_WINDOW_MS;
  const pairFree = options.pairFreeFailures ?? 5;
  const addressMax = Math.min(options.addressMaxFailures ?? 100, MAX_KEPT);
  const accountFree = options.accountFreeFailures ?? 10;
  const accountMaxDelay = options.accountMaxDelayMs ?? 5_000;
  const failures = options.failures ?? createMemoryFailureLog({ now, windowMs, maxKeys: options.maxKeys ?? 50_000 });
  // Three kinds of key in one log: the prefixes keep an address from ever reading as an account.
  const pairKey = (account: string, address: string) => `pair\n${account}\n${address}`;
  const addressKey = (address: string) => `address\n${address}`;
  const accountKey = (account: string) => `account\n${account}`;

  return {
    async check(account: string, address: string): Promise<ThrottleDecision> {
      const [fromAddress, pair, onAccount] = await Promise.all([failures.recent(addressKey(address)), failures.recent(pairKey(account, address)), failures.recent(accountKey(account))]);
      if (fromAddress.length >= addressMax) return refuse((fromAddress.at(-addressMax) ?? now()) + windowMs);
      if (pair.length >= pairFree) {
        const backOff = Math.min(1_000 * 2 ** (pair.length - pairFree), windowMs);
        const until = (pair.at(-1) ?? now()) + backOff;
        if (until > now()) return refuse(until);
      }
      const suspect = fromAddress.length > 0;
      const delayMs = suspect && onAccount.length >= accountFree ? Math.min(250 * 2 ** (onAccount.length - accountFree), accountMaxDelay) : 0;
      return { allowed: true, delayMs };
    },
    recordFailure: (account: string, address: string): Promise<void> => failures.add([pairKey(account, address), addressKey(address), accountKey(account)]),
    /** A correct password clears its own pair only: the account's and address's counts still tell of others' guessing. */
    recordSuccess: (account: string, address: string): Promise<void> => failures.forget(pairKey(account, address)),
  };

  function refuse(until: number): ThrottleDecision {
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((until - now()) / 1000)) };
  }
}

export type LoginThrottle = ReturnType<typeof createLoginThrottle>;

/** How long a failure counts. */
export const LOGIN_WINDOW_MS = 15 * 60_000;

/**
 * Failures in this process's memory (tests, tools). Capped at `maxKeys`, oldest keys dropped first, so a
 * flood of made-up emails or addresses cannot grow it without bound.
 */
export function createMemoryFailureLog(options: { now: () => number; windowMs: number; maxKeys: number }): FailureLog {
  const { now, windowMs, maxKeys } = options;
  const log = new Map<string, number[]>();
  const recent = (key: string): number[] => {
    const since = now() - windowMs;
    const kept = (log.get(key) ?? []).filter((t) => t > since);
    if (kept.length === 0) log.delete(key);
    else log.set(key, kept);
    return kept;
  };
  const add = (key: string): void => {
    const kept = [...recent(key), now()].slice(-MAX_KEPT);
    log.delete(key); // re-inserted last, so the oldest keys are the first ones dropped
    log.set(key, kept);
    if (log.size > maxKeys) {
      const oldest = log.keys().next().value;
      if (oldest !== undefined) log.delete(oldest);
    }
  };
  return {
    recent: async (key) => recent(key),
    async add(keys) {
      for (const key of keys) add(key);
    },
    async forget(key) {
      log.delete(key);
    },
  };
}
