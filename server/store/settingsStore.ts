import type { DatabaseSync } from 'node:sqlite';

/** Small server-wide values (the first-run setup token's hash, retention settings). */
export interface SettingsStore {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string): Promise<void>;
  delete(key: string): Promise<void>;
  /**
   * Deletes `key` only if it holds `value`, in one statement: of simultaneous callers with the right
   * value exactly one gets true. For one-time tokens (the first-run setup link).
   */
  consume(key: string, value: string): Promise<boolean>;
}

export function createSqliteSettingsStore(db: DatabaseSync): SettingsStore {
  const select = db.prepare('SELECT value FROM settings WHERE key = ?');
  const upsert = db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');
  const remove = db.prepare('DELETE FROM settings WHERE key = ?');
  const consume = db.prepare('DELETE FROM settings WHERE key = ? AND value = ? RETURNING key');
  return {
    async get(key) {
      const row = select.get(key);
      return row ? String(row['value']) : undefined;
    },
    async set(key, value) {
      upsert.run(key, value);
    },
    async delete(key) {
      remove.run(key);
    },
    async consume(key, value) {
      return consume.get(key, value) !== undefined;
    },
  };
}
