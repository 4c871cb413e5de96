import pg from 'pg';

/**
 * The SQLite snapshot store of the Hocuspocus column (snapshotStore.ts: the table and upsert of
 * @hocuspocus/extension-sqlite, the whole document state in one row) on PostgreSQL, through `pg`. Every
 * connection commits synchronously (synchronous_commit on, as Polyphony's store sets it), so an upsert has
 * reached the WAL on disk when its promise resolves.
 */
export interface PostgresSnapshotStore {
  fetch(docName: string): Promise<Uint8Array | null>;
  upsert(docName: string, state: Uint8Array): Promise<void>;
  close(): Promise<void>;
}

export async function openPostgresSnapshotStore(databaseUrl: string): Promise<PostgresSnapshotStore> {
  // node-postgres' default pool size, as an application using the extension would have.
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 10, options: '-c synchronous_commit=on' });
  pool.on('error', () => {});
  await pool.query(`CREATE TABLE IF NOT EXISTS "documents" (
    "name" varchar(255) NOT NULL,
    "data" bytea NOT NULL,
    UNIQUE(name)
  )`);
  return {
    async fetch(docName) {
      const result = await pool.query<{ data: Buffer }>('SELECT data FROM "documents" WHERE name = $1', [docName]);
      const data = result.rows[0]?.data;
      return data ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength) : null;
    },
    async upsert(docName, state) {
      await pool.query('INSERT INTO "documents" ("name", "data") VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET data = excluded.data', [docName, state]);
    },
    close: () => pool.end(),
  };
}
