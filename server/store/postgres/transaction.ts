import pg, { type Pool, type PoolClient } from 'pg';
import type { Sql } from './sql.ts';

/**
 * Runs `work` in one transaction on one connection of the pool: all of it is committed, or none of it (the
 * unit of work). `work` must run every statement on the client it is given; statements on the pool would run
 * outside the transaction. READ COMMITTED, as PostgreSQL's default: stores that must serialise a
 * check-then-write take a row lock (SELECT … FOR UPDATE) or update first.
 */
export async function inTransaction<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken: unknown;
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    try {
      await client.query('ROLLBACK');
    } catch (rollbackError) {
      // The connection is unusable (lost mid-transaction): it must not go back to the pool.
      broken = rollbackError;
    }
    throw error;
  } finally {
    client.release(broken instanceof Error ? broken : undefined);
  }
}

/**
 * Runs `work` atomically on `sql`: in a transaction of its own when `sql` is the pool, or in a savepoint when
 * it is a unit of work's connection (already inside a transaction, which must not be committed here). A
 * store whose method needs several statements to hold together uses this, so it can serve in a unit of work.
 */
export async function atomically<T>(sql: Sql, work: (client: Sql) => Promise<T>): Promise<T> {
  if (sql instanceof pg.Pool) return inTransaction(sql, work);
  await sql.query('SAVEPOINT store_step');
  try {
    const result = await work(sql);
    await sql.query('RELEASE SAVEPOINT store_step');
    return result;
  } catch (error) {
    await sql.query('ROLLBACK TO SAVEPOINT store_step');
    throw error;
  }
}
