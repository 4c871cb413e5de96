import type { PoolClient } from 'pg';
import { createPostgresPool } from './database.ts';

/**
 * One connection kept checked out, for statements that must not pay a pool's checkout each time (about
 * 0.3 ms of a 2 ms commit on an idle machine, measured). After a statement fails the connection is dropped,
 * whatever the failure: it may be lost, and the next statement gets a new one. A connection lost while idle
 * is found by the next statement, which fails (a pool would have replaced it unseen): for the document
 * commits that is one batch refused after a PostgreSQL restart, whose clients resend it.
 */
export interface HeldConnection {
  run<T>(work: (client: PoolClient) => Promise<T>): Promise<T>;
  /** Waits for the statements in flight, then closes the connection. */
  close(): Promise<void>;
}

export function openHeldConnection(databaseUrl: string): HeldConnection {
  const pool = createPostgresPool(databaseUrl, { max: 1 });
  let held: Promise<PoolClient> | null = null;
  // Every statement handed out and not yet settled, so that close() can wait for them.
  const outstanding = new Set<Promise<unknown>>();

  const run = async <T>(work: (client: PoolClient) => Promise<T>): Promise<T> => {
    const connecting = (held ??= pool.connect());
    let client: PoolClient;
    try {
      client = await connecting;
    } catch (error) {
      if (held === connecting) held = null;
      throw error;
    }
    try {
      return await work(client);
    } catch (error) {
      if (held === connecting) held = null;
      client.release(error instanceof Error ? error : new Error(String(error)));
      throw error;
    }
  };

  return {
    run(work) {
      const result = run(work);
      outstanding.add(result);
      const forget = (): void => void outstanding.delete(result);
      result.then(forget, forget);
      return result;
    },
    async close() {
      await Promise.allSettled([...outstanding]);
      const last = held;
      held = null;
      if (last) (await last.catch(() => null))?.release();
      await pool.end();
    },
  };
}
