import type { Pool, PoolClient } from 'pg';

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
