/** Schema migrations, applied in order, each once. Never edit a shipped one: add the next. */
export const MIGRATIONS: readonly { version: number; sql: string }[] = [
  {
    version: 1,
    sql: `
      CREATE TABLE meetings (
        id TEXT PRIMARY KEY,
        title TEXT NOT NULL,
        created_at TEXT NOT NULL
      );
      -- The append-only log of Yjs updates per document. A compaction replaces a prefix of it by one
      -- snapshot row in a single transaction, so the history is kept until the snapshot is written.
      CREATE TABLE doc_updates (
        doc_name TEXT NOT NULL,
        seq INTEGER NOT NULL,
        data BLOB NOT NULL,
        PRIMARY KEY (doc_name, seq)
      ) WITHOUT ROWID;
    `,
  },
];
