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
 * In memory: a restart forgets, acceptable for limits measured in minutes. Each map is capped, oldest
 * keys dropped first, so a flood of made-up emails or addresses cannot grow it without bound.
 */
export interface LoginThrottleOptions {
  now?: () => number;
  windowMs?: number;
  pairFreeFailures?: number;
  addressMaxFailures?: number;
  accountFreeFailures?: number;
  accountMaxDelayMs?: number;
  maxKeys?: number;
}

/** Whether a login attempt may go ahead now, and how long to wait before checking its password. */
export type ThrottleDecision = { allowed: true; delayMs: number } | { allowed: false; retryAfterSeconds: number };

// Failure times kept per key: more than any threshold needs (the address limit is capped to it).
const MAX_KEPT = 256;

export function createLoginThrottle(options: LoginThrottleOptions = {}) {
  const now = options.now ?? Date.now;
  const windowMs = options.windowMs ?? 15 * 60_000;
  const pairFree = options.pairFreeFailures ?? 5;
  const addressMax = Math.min(options.addressMaxFailures ?? 100, MAX_KEPT);
  const accountFree = options.accountFreeFailures ?? 10;
  const accountMaxDelay = options.accountMaxDelayMs ?? 5_000;
  const maxKeys = options.maxKeys ?? 50_000;
  const pairs = createFailureLog(now, windowMs, maxKeys);
  const addresses = createFailureLog(now, windowMs, maxKeys);
  const accounts = createFailureLog(now, windowMs, maxKeys);
  const pairKey = (account: string, address: string) => `${account}\n${address}`;

  return {
    check(account: string, address: string): ThrottleDecision {
      const fromAddress = addresses.recent(address);
      if (fromAddress.length >= addressMax) return refuse((fromAddress[0] ?? now()) + windowMs);
      const pair = pairs.recent(pairKey(account, address));
      if (pair.length >= pairFree) {
        const backOff = Math.min(1_000 * 2 ** (pair.length - pairFree), windowMs);
        const until = (pair.at(-1) ?? now()) + backOff;
        if (until > now()) return refuse(until);
      }
      const onAccount = accounts.recent(account).length;
      const suspect = fromAddress.length > 0;
      const delayMs = suspect && onAccount >= accountFree ? Math.min(250 * 2 ** (onAccount - accountFree), accountMaxDelay) : 0;
      return { allowed: true, delayMs };
    },
    recordFailure(account: string, address: string): void {
      pairs.add(pairKey(account, address));
      addresses.add(address);
      accounts.add(account);
    },
    /** A correct password clears its own pair only: the account's and address's counts still tell of others' guessing. */
    recordSuccess(account: string, address: string): void {
      pairs.forget(pairKey(account, address));
    },
  };

  function refuse(until: number): ThrottleDecision {
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((until - now()) / 1000)) };
  }
}

export type LoginThrottle = ReturnType<typeof createLoginThrottle>;

/** Failure times per key within the window, newest last; at most MAX_KEPT per key (enough for every threshold). */
function createFailureLog(now: () => number, windowMs: number, maxKeys: number) {
  const log = new Map<string, number[]>();
  const recent = (key: string): number[] => {
    const since = now() - windowMs;
    const kept = (log.get(key) ?? []).filter((t) => t > since);
    if (kept.length === 0) log.delete(key);
    else log.set(key, kept);
    return kept;
  };
  return {
    recent,
    add(key: string): void {
      const kept = [...recent(key), now()].slice(-MAX_KEPT);
      log.delete(key); // re-inserted last, so the oldest keys are the first ones dropped
      log.set(key, kept);
      if (log.size > maxKeys) {
        const oldest = log.keys().next().value;
        if (oldest !== undefined) log.delete(oldest);
      }
    },
    forget(key: string): void {
      log.delete(key);
    },
  };
}
