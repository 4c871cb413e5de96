import type { PoolClient } from 'pg';
import { createPendingPromises } from '../pendingPromises.ts';
import { createPostgresPool } from './database.ts';

/**
 * One connection kept checked out, for statements that must not pay a pool's checkout each time (about
 * 0.3 ms of a 2 ms commit on an idle machine, measured).
 *
 * Invariants: a connection is dropped after any statement on it failed, whatever the failure (it may be
 * lost), and as soon as it reports that it was lost (PostgreSQL restarted, an administrator or
 * `idle_session_timeout` ended it) while idle, so the next statement runs on a new connection instead of
 * failing on the dead one. Only a connection lost without a word (a middlebox dropping it silently) is
 * still found by the next statement, which fails; for document commits, whose clients resend.
 */
export interface HeldConnection {
  run<T>(work: (client: PoolClient) => Promise<T>): Promise<T>;
  /** Waits for the statements in flight, then closes the connection. */
  close(): Promise<void>;
}

/** The connection held, and what is known about it. */
interface Held {
  client: PoolClient;
  /** Statements running on it now. */
  busy: number;
  /** It failed a statement or reported its loss: no new statement goes to it. */
  lost: boolean;
  /** Given back to the pool (destroyed when lost): pg-pool throws on a second release. */
  released: boolean;
}

export function openHeldConnection(databaseUrl: string): HeldConnection {
  const pool = createPostgresPool(databaseUrl, { max: 1 });
  let held: Promise<Held> | null = null;
  const pending = createPendingPromises();

  const release = (connection: Held, error?: Error): void => {
    if (connection.released) return;
    connection.released = true;
    connection.client.release(error);
  };

  // Once lost, it is no longer the held one; it is destroyed now if idle, else when its statement ends.
  const markLost = (connecting: Promise<Held>, connection: Held, error: Error): void => {
    connection.lost = true;
    if (held === connecting) held = null;
    if (connection.busy === 0) release(connection, error);
  };

  const connect = (): Promise<Held> => {
    const connecting: Promise<Held> = pool.connect().then((client) => {
      const connection: Held = { client, busy: 0, lost: false, released: false };
      // The pool's own listener (createPostgresPool) keeps an 'error' from ending the process; these only
      // retire the connection. A lost connection reports 'error' (PostgreSQL's FATAL), 'end', or both.
      client.once('error', (error: Error) => markLost(connecting, connection, error));
      client.once('end', () => markLost(connecting, connection, new Error('PostgreSQL connection ended')));
      return connection;
    });
    return connecting;
  };

  const run = async <T>(work: (client: PoolClient) => Promise<T>): Promise<T> => {
    const connecting = (held ??= connect());
    let connection: Held;
    try {
      connection = await connecting;
    } catch (error) {
      if (held === connecting) held = null;
      throw error;
    }
    // Lost between its connect and now (the loss was heard while this statement waited for the connect).
    if (connection.lost) return run(work);
    connection.busy++;
    try {
      return await work(connection.client);
    } catch (error) {
      markLost(connecting, connection, error instanceof Error ? error : new Error(String(error)));
      throw error;
    } finally {
      connection.busy--;
      if (connection.lost && connection.busy === 0) release(connection, new Error('PostgreSQL connection lost'));
    }
  };

  return {
    run: (work) => pending.track(run(work)),
    async close() {
      await pending.settled();
      const last = held;
      held = null;
      const connection = last ? await last.catch(() => null) : null;
      if (connection) release(connection);
      await pool.end();
    },
  };
}
