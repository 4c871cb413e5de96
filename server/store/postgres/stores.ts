import type { Pool } from 'pg';
import type { Stores } from '../stores.ts';
import { createPostgresDocStore } from './docStore.ts';
import { createPostgresNetworkEraser } from './networkEraser.ts';
import { createPostgresNotesVersionStore } from './notesVersionStore.ts';
import { createPostgresRecordStore } from './recordStore.ts';
import { createPostgresTransactionalStores } from './unitOfWork.ts';
import { createPostgresUserStore } from './userStore.ts';

/**
 * The stores implemented on PostgreSQL so far. Not yet every store of {@link Stores} (members, invites and
 * meetings remain): until all are, the server does not start on PostgreSQL
 * (it reads no DATABASE_URL), and the contract tests run these on both engines.
 */
export type PostgresStores = Pick<Stores, 'docs' | 'users' | 'sessions' | 'passwordResets' | 'settings' | 'networks' | 'audit' | 'attendance' | 'sealedRecords' | 'records' | 'eraser' | 'notesVersions'>;

export function createPostgresStores(pool: Pool): PostgresStores {
  return {
    ...createPostgresTransactionalStores(pool),
    docs: createPostgresDocStore(pool),
    users: createPostgresUserStore(pool),
    records: createPostgresRecordStore(pool),
    eraser: createPostgresNetworkEraser(pool),
    notesVersions: createPostgresNotesVersionStore(pool),
  };
}
