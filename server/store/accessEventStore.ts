import type { DatabaseSync } from 'node:sqlite';

/** One access event as the outbox keeps it: its order, which process wrote it, and its JSON. */
export interface StoredAccessEvent {
  seq: number;
  origin: string;
  body: string;
}

/**
 * The outbox that carries access events between processes sharing this store (the server and the ops
 * CLI). Rows are only a signal: they hold ids, never content, and are kept for minutes, not as a history
 * (the audit log is the history).
 */
export interface AccessEventStore {
  /** Appends one event and drops those older than `keepSince`; returns the new event's sequence number. */
  append(event: { origin: string; at: string; body: string }, keepSince: string): Promise<number>;
  /** Events after `seq`, oldest first, at most `limit`. */
  after(seq: number, limit: number): Promise<StoredAccessEvent[]>;
  /** The sequence number of the newest event, 0 when there is none. */
  lastSeq(): Promise<number>;
}

export function createSqliteAccessEventStore(db: DatabaseSync): AccessEventStore {
  const insert = db.prepare('INSERT INTO access_events (origin, at, body) VALUES (?, ?, ?)');
  const prune = db.prepare('DELETE FROM access_events WHERE at < ?');
  const after = db.prepare('SELECT seq, origin, body FROM access_events WHERE seq > ? ORDER BY seq LIMIT ?');
  const last = db.prepare('SELECT COALESCE(MAX(seq), 0) AS seq FROM access_events');
  return {
    async append(event, keepSince) {
      prune.run(keepSince);
      return Number(insert.run(event.origin, event.at, event.body).lastInsertRowid);
    },
    async after(seq, limit) {
      return after.all(seq, limit).map((row) => ({ seq: Number(row['seq']), origin: String(row['origin']), body: String(row['body']) }));
    },
    async lastSeq() {
      return Number(last.get()?.['seq'] ?? 0);
    },
  };
}
