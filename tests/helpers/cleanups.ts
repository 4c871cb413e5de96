import { afterEach } from 'vitest';

/**
 * Registers an afterEach that runs, newest first, everything a test asked to clean up. Returns the
 * function to register with; call it at the top of a test file.
 */
export function useCleanups(): (...cleanup: (() => Promise<void> | void)[]) => void {
  const pending: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const cleanup of pending.splice(0).reverse()) await cleanup();
  });
  return (...cleanup) => void pending.push(...cleanup);
}
