import type { DatabaseSync, SQLOutputValue } from 'node:sqlite';
import type { Pool, PoolClient } from 'pg';
import { canonicalValue, engineValue, type CopyableType } from './columnValues.ts';
import { DOC_HEADS_TABLE, MIGRATIONS_TABLE, type CopyPlan, type CopyTable } from './copyPlan.ts';
import { quoteIdent } from './quoteIdent.ts';

const FETCH_ROWS = 500;

type Row = (string | null)[];

/**
 * The tables whose rows differ between SQLite and PostgreSQL: every row of every table, read on both sides in
 * primary-key order and compared value by value after both are put in one form (see canonicalValue). Text
 * keys are ordered by their bytes on both engines (SQLite's BINARY, PostgreSQL's "C"), so the n-th row of one
 * side is the n-th of the other when the tables are equal. PostgreSQL is read in one REPEATABLE READ
 * transaction (one snapshot for every table), SQLite from the frozen copy the rows were copied from.
 * Also checked: the document heads made from the log, and that both have applied the same migrations.
 */
export async function differingTables(db: DatabaseSync, pool: Pool, plan: CopyPlan): Promise<string[]> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const differing: string[] = [];
    for (const table of plan.tables) {
      const columns = table.columns.map((column) => ({ type: column.type }));
      const order = table.key.map((name) => orderTerm(table, name)).join(', ');
      const sqlite = `SELECT ${table.columns.map((c) => c.sqlite).join(', ')} FROM ${quoteIdent(table.name)} ORDER BY ${table.key.map(quoteIdent).join(', ')}`;
      const postgres = `SELECT ${table.columns.map((c) => quoteIdent(c.name)).join(', ')} FROM ${quoteIdent(table.name)} ORDER BY ${order}`;
      if (!(await sameRows(db, client, sqlite, postgres, columns))) differing.push(table.name);
    }
    const heads = { sqlite: 'SELECT doc_name, MAX(seq) FROM doc_updates GROUP BY doc_name ORDER BY doc_name', postgres: `SELECT doc_name, last_seq FROM ${DOC_HEADS_TABLE} ORDER BY doc_name COLLATE "C"` };
    const headColumns = [{ type: 'text' as const }, { type: 'bigint' as const }];
    if (!(await sameRows(db, client, heads.sqlite, heads.postgres, headColumns))) differing.push(DOC_HEADS_TABLE);
    const versions = `SELECT version FROM ${MIGRATIONS_TABLE} ORDER BY version`;
    if (!(await sameRows(db, client, versions, versions, [{ type: 'integer' }]))) differing.push(MIGRATIONS_TABLE);
    await client.query('COMMIT');
    return differing;
  } finally {
    client.release();
  }
}

/** A key column as PostgreSQL must order it to match SQLite: text by its bytes. */
function orderTerm(table: CopyTable, name: string): string {
  const type = table.columns.find((column) => column.name === name)?.type;
  return type === 'text' ? `${quoteIdent(name)} COLLATE "C"` : quoteIdent(name);
}

/** Whether the two queries give the same rows in the same order, read side by side (neither side is held whole). */
async function sameRows(db: DatabaseSync, client: PoolClient, sqliteQuery: string, postgresQuery: string, columns: readonly { type: CopyableType }[]): Promise<boolean> {
  const statement = db.prepare(sqliteQuery);
  statement.setReadBigInts(true);
  statement.setReturnArrays(true);
  const sqliteRows = (statement.iterate() as Iterable<unknown> as Iterable<SQLOutputValue[]>)[Symbol.iterator]();
  await client.query(`DECLARE copy_check NO SCROLL CURSOR FOR ${postgresQuery}`);
  try {
    for (;;) {
      const fetched = await client.query<unknown[]>({ text: `FETCH ${FETCH_ROWS} FROM copy_check`, rowMode: 'array' });
      for (const pgRow of fetched.rows) {
        const next = sqliteRows.next();
        if (next.done || !sameRow(canonicalRow(next.value, columns), canonicalRow(pgRow, columns))) return false;
      }
      if (fetched.rows.length < FETCH_ROWS) return sqliteRows.next().done === true;
    }
  } finally {
    sqliteRows.return?.();
    await client.query('CLOSE copy_check');
  }
}

function canonicalRow(values: readonly unknown[], columns: readonly { type: CopyableType }[]): Row {
  return columns.map((column, i) => canonicalValue(column.type, engineValue(values[i])));
}

function sameRow(a: Row, b: Row): boolean {
  return a.length === b.length && a.every((value, i) => value === b[i]);
}
