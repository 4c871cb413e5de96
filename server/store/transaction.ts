import type { DatabaseSync, SQLOutputValue } from 'node:sqlite';

/** Runs `work` in one write transaction: all of it is committed, or none of it. */
export function transaction<T>(db: DatabaseSync, work: () => T): T {
  db.exec('BEGIN IMMEDIATE');
  try {
    const result = work();
    db.exec('COMMIT');
    return result;
  } catch (error) {
    db.exec('ROLLBACK');
    throw error;
  }
}

/**
 * A text column as a string, or undefined for SQL NULL (or a row that is not there). A blob where text is
 * expected is a bug in a query or the schema, so it throws rather than turning bytes into text.
 */
export function optionalText(value: SQLOutputValue | undefined): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'bigint') return String(value);
  throw new TypeError('Expected a text column but read a blob');
}
