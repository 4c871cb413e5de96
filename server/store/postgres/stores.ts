import type { Pool } from 'pg';
import type { Stores } from '../stores.ts';
import { refusingNested } from '../unitOfWork.ts';
import type { DocCommitThread } from './docCommitThreadClient.ts';
import { createPostgresDocStore } from './docStore.ts';
import { createPostgresNetworkEraser } from './networkEraser.ts';
import { createPostgresTransactionalStores, unitOfWork } from './unitOfWork.ts';

/** Every store on PostgreSQL. The access-event outbox, not one of {@link Stores}, is createPostgresAccessEventStore. */
export type PostgresStores = Stores;

/** `commitThread`: where the documents' group commits run (the server's own thread); else on `pool`. */
export function createPostgresStores(pool: Pool, commitThread?: DocCommitThread): Stores {
  return {
    ...createPostgresTransactionalStores(pool),
    docs: createPostgresDocStore(pool, commitThread ? { commitThread } : {}),
    eraser: createPostgresNetworkEraser(pool),
    unitOfWork: refusingNested((work) => unitOfWork(pool, work)),
  };
}
