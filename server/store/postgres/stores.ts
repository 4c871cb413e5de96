import type { Pool } from 'pg';
import type { Stores } from '../stores.ts';
import { refusingNested } from '../unitOfWork.ts';
import { createPostgresDocStore } from './docStore.ts';
import { createPostgresNetworkEraser } from './networkEraser.ts';
import { createPostgresTransactionalStores, unitOfWork } from './unitOfWork.ts';

/** Every store on PostgreSQL. The access-event outbox, not one of {@link Stores}, is createPostgresAccessEventStore. */
export type PostgresStores = Stores;

export function createPostgresStores(pool: Pool): Stores {
  return {
    ...createPostgresTransactionalStores(pool),
    docs: createPostgresDocStore(pool),
    eraser: createPostgresNetworkEraser(pool),
    unitOfWork: refusingNested((work) => unitOfWork(pool, work)),
  };
}
