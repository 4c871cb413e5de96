import type { DatabaseSync, SQLOutputValue } from 'node:sqlite';
import type { Pool, PoolClient } from 'pg';
import { ApiError } from '../../errors.ts';
import { inTransaction } from '../postgres/transaction.ts';
import { toPostgres } from './columnValues.ts';
import { DOC_HEADS_TABLE, type CopyPlan, type CopyTable } from './copyPlan.ts';
import { quoteIdent } from './quoteIdent.ts';
import { notEmpty, tablesWithRows } from './targetCheck.ts';

/** Rows and bytes sent in one statement: large enough to be quick, small enough for one message. */
const BATCH_ROWS = 1_000;
const BATCH_BYTES = 8 * 1024 * 1024;

/**
 * Copies every row of every table of `plan` from SQLite into PostgreSQL in ONE transaction, so that a failure
 * anywhere leaves the target as empty as it was. Under the transaction's locks the target is checked empty
 * again (another process may have written since the first check), the tables are filled in foreign-key
 * order, the columns that close a cycle are set last, the document heads are made from the copied log and
 * every identity counter is moved past the copied values. Returns the rows copied per table.
 */
export async function copyRows(db: DatabaseSync, pool: Pool, plan: CopyPlan): Promise<Record<string, number>> {
  try {
    return await inTransaction(pool, async (client) => {
      const names = [...plan.tables.map((table) => table.name), DOC_HEADS_TABLE];
      // EXCLUSIVE: nobody else writes these tables until the commit; readers are not held up. A session
      // that holds a lock on one of them (a server already running on the target) makes the copy fail
      // within the timeout instead of waiting unseen.
      await client.query(`SET LOCAL lock_timeout = '30s'`);
      await client.query(`LOCK TABLE ${names.map(quoteIdent).join(', ')} IN EXCLUSIVE MODE`);
      const filled = await tablesWithRows(client, names);
      if (filled.length > 0) throw notEmpty(filled);
      const counts: Record<string, number> = {};
      for (const table of plan.tables) counts[table.name] = await insertTable(db, client, table);
      for (const table of plan.tables) await setDeferredColumns(db, client, table);
      await fillDocHeads(client);
      for (const table of plan.tables) await advanceIdentities(db, client, table);
      return counts;
    });
  } catch (error) {
    if (error instanceof ApiError) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    // The message of a PostgreSQL error names the table and constraint; its detail (with key values) is left out.
    throw new ApiError('internal', `The copy failed and was rolled back, so the target holds no rows: ${reason}.`);
  }
}

async function insertTable(db: DatabaseSync, client: PoolClient, table: CopyTable): Promise<number> {
  const columns = table.columns.map((column) => quoteIdent(column.name)).join(', ');
  const select = db.prepare(`SELECT ${table.columns.map((column) => column.sqlite).join(', ')} FROM ${quoteIdent(table.name)} ORDER BY ${table.key.map(quoteIdent).join(', ')}`);
  // Integers as bigint: nothing is rounded on the way (a Yjs client id or a counter may exceed 2^53 in principle).
  select.setReadBigInts(true);
  select.setReturnArrays(true);
  const overriding = table.columns.some((column) => column.identity) ? 'OVERRIDING SYSTEM VALUE ' : '';
  const arrays = table.columns.map((column, i) => `$${i + 1}::${column.type}[]`).join(', ');
  const insert = `INSERT INTO ${quoteIdent(table.name)} (${columns}) ${overriding}SELECT * FROM unnest(${arrays})`;
  let batch = table.columns.map((): unknown[] => []);
  let rows = 0;
  let pending = 0;
  let bytes = 0;
  for (const row of select.iterate() as Iterable<unknown> as Iterable<SQLOutputValue[]>) {
    table.columns.forEach((column, i) => {
      const value = table.deferred.includes(column.name) ? null : (row[i] ?? null);
      if (value instanceof Uint8Array || typeof value === 'string') bytes += value.length;
      batch[i]?.push(toPostgres(`${table.name}.${column.name}`, column.type, value));
    });
    rows++;
    if (++pending >= BATCH_ROWS || bytes >= BATCH_BYTES) {
      await client.query(insert, batch);
      batch = table.columns.map((): unknown[] => []);
      pending = 0;
      bytes = 0;
    }
  }
  if (pending > 0) await client.query(insert, batch);
  return rows;
}

/** Sets the columns that were inserted as NULL to close a cycle (see foreignKeyOrder), now that every row is in. */
async function setDeferredColumns(db: DatabaseSync, client: PoolClient, table: CopyTable): Promise<void> {
  if (table.deferred.length === 0) return;
  const columns = [...table.key, ...table.deferred].map((name) => {
    const column = table.columns.find((each) => each.name === name);
    if (!column) throw new Error(`no column ${table.name}.${name}`);
    return column;
  });
  const select = db.prepare(
    `SELECT ${columns.map((column) => quoteIdent(column.name)).join(', ')} FROM ${quoteIdent(table.name)} WHERE ${table.deferred.map((name) => `${quoteIdent(name)} IS NOT NULL`).join(' OR ')}`,
  );
  select.setReadBigInts(true);
  select.setReturnArrays(true);
  const update =
    `UPDATE ${quoteIdent(table.name)} AS t SET ${table.deferred.map((name) => `${quoteIdent(name)} = v.${quoteIdent(name)}`).join(', ')} ` +
    `FROM unnest(${columns.map((column, i) => `$${i + 1}::${column.type}[]`).join(', ')}) AS v(${columns.map((column) => quoteIdent(column.name)).join(', ')}) ` +
    `WHERE ${table.key.map((name) => `t.${quoteIdent(name)} = v.${quoteIdent(name)}`).join(' AND ')}`;
  let batch = columns.map((): unknown[] => []);
  for (const row of select.iterate() as Iterable<unknown> as Iterable<SQLOutputValue[]>) {
    columns.forEach((column, i) => batch[i]?.push(toPostgres(`${table.name}.${column.name}`, column.type, row[i] ?? null)));
    if ((batch[0]?.length ?? 0) >= BATCH_ROWS) {
      await client.query(update, batch);
      batch = columns.map((): unknown[] => []);
    }
  }
  if ((batch[0]?.length ?? 0) > 0) await client.query(update, batch);
}

/**
 * One head per copied document: its counter at the last sequence number in the log (the next append takes
 * the one after), and epoch 0, nobody's claim yet (the first server to open the document claims it).
 */
async function fillDocHeads(client: PoolClient): Promise<void> {
  await client.query(`INSERT INTO ${DOC_HEADS_TABLE} (doc_name, last_seq, epoch) SELECT doc_name, MAX(seq), 0 FROM doc_updates GROUP BY doc_name`);
}

/**
 * Moves each identity counter past the copied values, and past SQLite's own AUTOINCREMENT counter, which may
 * be higher (rows deleted since): a number once given out is never given again (the access-event outbox's
 * readers rely on that).
 */
async function advanceIdentities(db: DatabaseSync, client: PoolClient, table: CopyTable): Promise<void> {
  for (const column of table.columns.filter((each) => each.identity)) {
    const copied = await client.query<{ max: string | null }>(`SELECT MAX(${quoteIdent(column.name)})::text AS max FROM ${quoteIdent(table.name)}`);
    const highest = [BigInt(copied.rows[0]?.max ?? 0), autoincrementOf(db, table.name)].reduce((a, b) => (a > b ? a : b));
    if (highest > 0n) await client.query('SELECT setval(pg_get_serial_sequence($1, $2), $3)', [quoteIdent(table.name), column.name, highest.toString()]);
  }
}

/** SQLite's AUTOINCREMENT counter of the table (0 when it has none). */
function autoincrementOf(db: DatabaseSync, table: string): bigint {
  if (!db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'sqlite_sequence'").get()) return 0n;
  const select = db.prepare('SELECT seq FROM sqlite_sequence WHERE name = ?');
  select.setReadBigInts(true);
  const seq = select.get(table)?.['seq'];
  return typeof seq === 'bigint' ? seq : 0n;
}
