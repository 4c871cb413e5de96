/**
 * The promises a store handed out and that have not settled yet, so that its close() can wait for all of
 * them, including any handed out while it waits.
 */
export interface PendingPromises {
  /** Counts `promise` as pending until it settles; returns it. */
  track<T>(promise: Promise<T>): Promise<T>;
  /** Resolves once nothing is pending (never rejects). */
  settled(): Promise<void>;
}

export function createPendingPromises(): PendingPromises {
  const pending = new Set<Promise<unknown>>();
  return {
    track(promise) {
      pending.add(promise);
      const forget = (): void => void pending.delete(promise);
      promise.then(forget, forget);
      return promise;
    },
    async settled() {
      while (pending.size > 0) await Promise.allSettled([...pending]);
    },
  };
}
