import type { Pool } from 'pg';
import type { Stores } from '../stores.ts';
import { createPostgresAttendanceStore } from './attendanceStore.ts';
import { createPostgresAuditStore } from './auditStore.ts';
import { createPostgresDocStore } from './docStore.ts';
import { createPostgresNetworkStore } from './networkStore.ts';
import { createPostgresPasswordResetStore } from './passwordResetStore.ts';
import { createPostgresRecordStore } from './recordStore.ts';
import { createPostgresSealedRecordStore } from './sealedRecordStore.ts';
import { createPostgresSessionStore } from './sessionStore.ts';
import { createPostgresSettingsStore } from './settingsStore.ts';
import { createPostgresUserStore } from './userStore.ts';

/**
 * The stores implemented on PostgreSQL so far. Not yet every store of {@link Stores} (members, invites,
 * meetings, notes versions and the eraser remain): until all are, the server does not start on
 * PostgreSQL (it reads no DATABASE_URL), and the contract tests run these on both engines.
 */
export type PostgresStores = Pick<Stores, 'docs' | 'users' | 'sessions' | 'passwordResets' | 'settings' | 'networks' | 'audit' | 'attendance' | 'sealedRecords' | 'records'>;

export function createPostgresStores(pool: Pool): PostgresStores {
  return {
    docs: createPostgresDocStore(pool),
    users: createPostgresUserStore(pool),
    sessions: createPostgresSessionStore(pool),
    passwordResets: createPostgresPasswordResetStore(pool),
    settings: createPostgresSettingsStore(pool),
    networks: createPostgresNetworkStore(pool),
    audit: createPostgresAuditStore(pool),
    attendance: createPostgresAttendanceStore(pool),
    sealedRecords: createPostgresSealedRecordStore(pool),
    records: createPostgresRecordStore(pool),
  };
}
