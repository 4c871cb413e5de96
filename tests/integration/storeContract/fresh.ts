import { afterEach, expect, vi } from 'vitest';
import type { EngineDatabase, PostgresDatabase } from './engines.ts';

/** A function that opens a fresh database of `engine` for one test; it is closed after the test. */
export function useFreshDatabase<D extends EngineDatabase>(engine: { open(): Promise<D> }): () => Promise<D> {
  const open: D[] = [];
  afterEach(async () => {
    for (const database of open.splice(0)) await database.close();
  });
  return async () => {
    const database = await engine.open();
    open.push(database);
    return database;
  };
}

/**
 * Asserts that `pending` (a store call) waits for a transaction the test holds open: it has not finished when
 * PostgreSQL shows a connection waiting for a lock. Fails as soon as the call finishes first.
 */
export async function expectToWait(database: PostgresDatabase, pending: Promise<unknown>): Promise<void> {
  let finished = false;
  const settle = (): void => void (finished = true);
  pending.then(settle, settle);
  await vi.waitFor(
    async () => {
      if (!finished && !(await database.someoneWaitsForLock())) throw new Error('neither waiting nor finished yet');
    },
    { timeout: 15_000, interval: 20 },
  );
  expect(finished, 'the call finished without waiting for the held transaction').toBe(false);
}
