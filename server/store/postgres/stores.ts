import type { Pool } from 'pg';
import type { Stores } from '../stores.ts';
import { createPostgresDocStore } from './docStore.ts';

/**
 * The stores implemented on PostgreSQL so far. Not yet every store of {@link Stores}: until it is, the server
 * does not start on PostgreSQL (DATABASE_URL is not read), and the contract tests run these on both engines.
 */
export type PostgresStores = Pick<Stores, 'docs'>;

export function createPostgresStores(pool: Pool): PostgresStores {
  return {
    docs: createPostgresDocStore(pool),
  };
}
