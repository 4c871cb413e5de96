import type { Pool } from 'pg';
import type { TransactionalStores as AllTransactionalStores } from '../stores.ts';
import { createPostgresMeetingTeamStore } from './meetingTeamStore.ts';
import { createPostgresNotesVersionStore } from './notesVersionStore.ts';
import { createPostgresRecordStore } from './recordStore.ts';
import { createPostgresUserStore } from './userStore.ts';
import { createPostgresAttendanceStore } from './attendanceStore.ts';
import { createPostgresAuditStore } from './auditStore.ts';
import { createPostgresInviteStore } from './inviteStore.ts';
import { createPostgresMeetingStore } from './meetingStore.ts';
import { createPostgresMemberStore } from './memberStore.ts';
import { createPostgresNetworkStore } from './networkStore.ts';
import { createPostgresPasswordResetStore } from './passwordResetStore.ts';
import { createPostgresSealedRecordStore } from './sealedRecordStore.ts';
import { createPostgresSessionStore } from './sessionStore.ts';
import { createPostgresSettingsStore } from './settingsStore.ts';
import type { Sql } from './sql.ts';
import { createPostgresLoginFailureStore } from './loginFailureStore.ts';
import { createPostgresWebhookDeliveryStore } from './webhookDeliveryStore.ts';
import { inTransaction } from './transaction.ts';

/**
 * The stores a unit of work hands to its work on PostgreSQL. Those whose methods need several statements to
 * hold together run them in a savepoint inside the unit's transaction (atomically).
 */
export type TransactionalStores = AllTransactionalStores;

export function createPostgresTransactionalStores(sql: Sql): TransactionalStores {
  return {
    sessions: createPostgresSessionStore(sql),
    passwordResets: createPostgresPasswordResetStore(sql),
    settings: createPostgresSettingsStore(sql),
    networks: createPostgresNetworkStore(sql),
    members: createPostgresMemberStore(sql),
    invites: createPostgresInviteStore(sql),
    meetings: createPostgresMeetingStore(sql),
    audit: createPostgresAuditStore(sql),
    attendance: createPostgresAttendanceStore(sql),
    webhookDeliveries: createPostgresWebhookDeliveryStore(sql),
    loginFailures: createPostgresLoginFailureStore(sql),
    sealedRecords: createPostgresSealedRecordStore(sql),
    users: createPostgresUserStore(sql),
    records: createPostgresRecordStore(sql),
    meetingTeams: createPostgresMeetingTeamStore(sql),
    notesVersions: createPostgresNotesVersionStore(sql),
  };
}

/**
 * A unit of work: what a service changes in several stores (create + assign + audit) in one transaction, so
 * that either all of it is stored or none of it. `work` must use only the stores it is given.
 */
export function unitOfWork<T>(pool: Pool, work: (stores: TransactionalStores) => Promise<T>): Promise<T> {
  return inTransaction(pool, (client) => work(createPostgresTransactionalStores(client)));
}
