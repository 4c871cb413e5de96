import type { Pool } from 'pg';
import type { Stores } from '../stores.ts';
import { refusingNested, type UnitOfWork } from '../unitOfWork.ts';
import { createPostgresDocStore } from './docStore.ts';
import { createPostgresTransactionalStores, unitOfWork, type TransactionalStores } from './unitOfWork.ts';

/**
 * The stores implemented on PostgreSQL so far. Not yet every store of {@link Stores} (notes versions and the
 * eraser remain): until all are, the server does not start on PostgreSQL (it reads no DATABASE_URL), and the
 * contract tests run these on both engines. The access-event outbox, which is not one of {@link Stores}, is
 * createPostgresAccessEventStore (accessEventStore.ts).
 */
export type PostgresStores = Omit<Stores, 'notesVersions' | 'eraser' | 'unitOfWork'> & {
  /** {@link Stores.unitOfWork}, over the stores that can join a transaction on PostgreSQL so far. */
  unitOfWork: UnitOfWork<TransactionalStores>;
};

export function createPostgresStores(pool: Pool): PostgresStores {
  return {
    ...createPostgresTransactionalStores(pool),
    docs: createPostgresDocStore(pool),
    unitOfWork: refusingNested((work) => unitOfWork(pool, work)),
  };
}
