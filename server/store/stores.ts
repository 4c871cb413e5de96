import type { DatabaseSync } from 'node:sqlite';
import { createSqliteAttendanceStore, type AttendanceStore } from './attendanceStore.ts';
import { createSqliteAuditStore, type AuditStore } from './auditStore.ts';
import { createSqliteDocStore, type DocStore } from './docStore.ts';
import { createSqliteInviteStore, type InviteStore } from './inviteStore.ts';
import { createSqliteLoginFailureStore, type LoginFailureStore } from './loginFailureStore.ts';
import { createSqliteMeetingStore, type MeetingStore } from './meetingStore.ts';
import { createSqliteMeetingTeamStore, type MeetingTeamStore } from './meetingTeamStore.ts';
import { createSqliteMemberStore, type MemberStore } from './memberStore.ts';
import { createSqliteNetworkEraser, type NetworkEraser } from './networkEraser.ts';
import { createSqliteNetworkStore, type NetworkStore } from './networkStore.ts';
import { createSqliteNotesVersionStore, type NotesVersionStore } from './notesVersionStore.ts';
import { createSqlitePasswordResetStore, type PasswordResetStore } from './passwordResetStore.ts';
import { createSqliteRecordStore, type RecordStore } from './recordStore.ts';
import { createSqliteSealedRecordStore, type SealedRecordStore } from './sealedRecordStore.ts';
import { createSqliteSessionStore, type SessionStore } from './sessionStore.ts';
import { createSqliteSettingsStore, type SettingsStore } from './settingsStore.ts';
import { createSqliteUnitOfWork } from './sqliteUnitOfWork.ts';
import type { UnitOfWork } from './unitOfWork.ts';
import { createSqliteUserStore, type UserStore } from './userStore.ts';
import { createSqliteWebhookDeliveryStore, type WebhookDeliveryStore } from './webhookDeliveryStore.ts';

/** Every store the services use, behind interfaces a PostgreSQL implementation can also fill. */
export interface Stores {
  users: UserStore;
  sessions: SessionStore;
  passwordResets: PasswordResetStore;
  settings: SettingsStore;
  networks: NetworkStore;
  members: MemberStore;
  invites: InviteStore;
  meetings: MeetingStore;
  /** The team members chosen to come to each meeting. */
  meetingTeams: MeetingTeamStore;
  audit: AuditStore;
  attendance: AttendanceStore;
  /** LiveKit webhooks already acted on (one webhook is acted on once, by whichever instance). */
  webhookDeliveries: WebhookDeliveryStore;
  /** Failed logins, counted across every instance. */
  loginFailures: LoginFailureStore;
  docs: DocStore;
  records: RecordStore;
  /** Records of ended meetings, frozen at sealing. */
  sealedRecords: SealedRecordStore;
  /** Versions of each meeting's notes, kept by the server. */
  notesVersions: NotesVersionStore;
  eraser: NetworkEraser;
  /** Several changes in one transaction: all of them are stored, or none (see unitOfWork.ts). */
  unitOfWork: UnitOfWork<TransactionalStores>;
}

/**
 * The stores a unit of work hands to its work: those whose every method is statements on the database, so
 * that they can run inside its transaction. Not the documents (on SQLite they are written on a thread of
 * their own, with a connection of their own) nor the eraser (it ends with VACUUM, which no transaction may
 * hold): each keeps transactions of its own.
 */
export type TransactionalStores = Pick<
  Stores,
  'users' | 'sessions' | 'passwordResets' | 'settings' | 'networks' | 'members' | 'invites' | 'meetings' | 'meetingTeams' | 'audit' | 'attendance' | 'webhookDeliveries' | 'loginFailures' | 'records' | 'sealedRecords' | 'notesVersions'
>;

export function createSqliteStores(db: DatabaseSync): Stores {
  // The same store objects serve inside and outside a unit of work: on SQLite it is one connection either way.
  const transactional: TransactionalStores = {
    users: createSqliteUserStore(db),
    sessions: createSqliteSessionStore(db),
    passwordResets: createSqlitePasswordResetStore(db),
    settings: createSqliteSettingsStore(db),
    networks: createSqliteNetworkStore(db),
    members: createSqliteMemberStore(db),
    invites: createSqliteInviteStore(db),
    meetings: createSqliteMeetingStore(db),
    meetingTeams: createSqliteMeetingTeamStore(db),
    audit: createSqliteAuditStore(db),
    attendance: createSqliteAttendanceStore(db),
    webhookDeliveries: createSqliteWebhookDeliveryStore(db),
    loginFailures: createSqliteLoginFailureStore(db),
    records: createSqliteRecordStore(db),
    sealedRecords: createSqliteSealedRecordStore(db),
    notesVersions: createSqliteNotesVersionStore(db),
  };
  return {
    ...transactional,
    docs: createSqliteDocStore(db),
    eraser: createSqliteNetworkEraser(db),
    unitOfWork: createSqliteUnitOfWork(db, transactional),
  };
}
