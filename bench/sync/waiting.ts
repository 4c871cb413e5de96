import { setTimeout as delay } from 'node:timers/promises';

/** Bounded waits: every wait in the bench has a deadline, so a stuck server cannot hang the run. */
export const sleep = (ms: number): Promise<void> => delay(ms);

export async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, fail) => {
    timer = setTimeout(() => fail(new Error(`${what}: no answer after ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Polls `done` every `everyMs` until it is true or `ms` passed; returns whether it became true. */
export async function waitUntil(done: () => boolean, ms: number, everyMs = 50): Promise<boolean> {
  const deadline = performance.now() + ms;
  while (!done()) {
    if (performance.now() >= deadline) return false;
    await sleep(everyMs);
  }
  return true;
}

/** Runs `start` for every item, at most `concurrency` at a time; settles like Promise.allSettled. */
export async function inBatches<T, R>(items: readonly T[], concurrency: number, start: (item: T) => Promise<R>): Promise<PromiseSettledResult<R>[]> {
  const results: PromiseSettledResult<R>[] = [];
  for (let from = 0; from < items.length; from += concurrency) {
    results.push(...(await Promise.allSettled(items.slice(from, from + concurrency).map(start))));
  }
  return results;
}
