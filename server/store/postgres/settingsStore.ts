import type { SettingsStore } from '../settingsStore.ts';
import type { Sql } from './sql.ts';

export function createPostgresSettingsStore(sql: Sql): SettingsStore {
  return {
    async get(key) {
      const result = await sql.query<{ value: string }>('SELECT value FROM settings WHERE key = $1', [key]);
      return result.rows[0]?.value;
    },
    async set(key, value) {
      await sql.query('INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value', [key, value]);
    },
    async delete(key) {
      await sql.query('DELETE FROM settings WHERE key = $1', [key]);
    },
    // One statement: of simultaneous callers exactly one deletes the row and gets true.
    async consume(key, value) {
      return ((await sql.query('DELETE FROM settings WHERE key = $1 AND value = $2', [key, value])).rowCount ?? 0) > 0;
    },
  };
}
