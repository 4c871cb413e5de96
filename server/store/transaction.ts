import type { DatabaseSync, SQLOutputValue } from 'node:sqlite';

/**
 * Runs `work` in one write transaction: all of it is committed, or none of it. Inside a transaction already
 * open on `db` (a unit of work, see sqliteUnitOfWork.ts) it is a savepoint of that one instead: undone on
 * its own when `work` throws, and committed with the rest.
 */
export function transaction<T>(db: DatabaseSync, work: () => T): T {
  if (db.isTransaction) return savepoint(db, work);
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

function savepoint<T>(db: DatabaseSync, work: () => T): T {
  db.exec('SAVEPOINT store_step');
  try {
    const result = work();
    db.exec('RELEASE store_step');
    return result;
  } catch (error) {
    db.exec('ROLLBACK TO store_step');
    db.exec('RELEASE store_step');
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
