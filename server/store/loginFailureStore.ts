import type { DatabaseSync } from 'node:sqlite';

/**
 * Failed logins, shared by every process on the store, so that password guessing is counted the same
 * whichever instance a load balancer sends each attempt to (services/loginThrottle.ts decides what the
 * counts mean). Keys are opaque (a keyed hash): no email or address is kept here.
 */
export interface LoginFailureStore {
  /** Failure times (ISO 8601) under `key` after `since`, oldest first: the newest `limit` of them. */
  recent(key: string, since: string, limit: number): Promise<string[]>;
  /** Records failures under each key at `at`, and drops every failure at or before `dropUpTo` (any key). */
  add(keys: readonly string[], at: string, dropUpTo: string): Promise<void>;
  /** Forgets every failure under `key`. */
  forget(key: string): Promise<void>;
}

export function createSqliteLoginFailureStore(db: DatabaseSync): LoginFailureStore {
  const recent = db.prepare('SELECT at FROM (SELECT at FROM login_failures WHERE key = ? AND at > ? ORDER BY at DESC LIMIT ?) ORDER BY at');
  const insert = db.prepare('INSERT INTO login_failures (key, at) VALUES (?, ?)');
  const prune = db.prepare('DELETE FROM login_failures WHERE at <= ?');
  const forget = db.prepare('DELETE FROM login_failures WHERE key = ?');
  return {
    async recent(key, since, limit) {
      return recent.all(key, since, limit).map((row) => String(row['at']));
    },
    async add(keys, at, dropUpTo) {
      prune.run(dropUpTo);
      for (const key of keys) insert.run(key, at);
    },
    async forget(key) {
      forget.run(key);
    },
  };
}
