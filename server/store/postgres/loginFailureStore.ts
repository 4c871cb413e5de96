import type { LoginFailureStore } from '../loginFailureStore.ts';
import type { Sql } from './sql.ts';

export function createPostgresLoginFailureStore(sql: Sql): LoginFailureStore {
  return {
    async recent(key, since, limit) {
      const result = await sql.query<{ at: string }>(
        'SELECT at FROM (SELECT at FROM login_failures WHERE key = $1 AND at > $2 ORDER BY at DESC LIMIT $3) AS newest ORDER BY at',
        [key, since, limit],
      );
      return result.rows.map((row) => row.at);
    },
    async add(keys, at, dropUpTo) {
      await sql.query('DELETE FROM login_failures WHERE at <= $1', [dropUpTo]);
      // One statement for all keys: they are one failure, counted under each.
      await sql.query('INSERT INTO login_failures (key, at) SELECT unnest($1::text[]), $2', [keys, at]);
    },
    async forget(key) {
      await sql.query('DELETE FROM login_failures WHERE key = $1', [key]);
    },
  };
}
