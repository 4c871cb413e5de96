import type { DatabaseSync } from 'node:sqlite';
import { optionalText } from './transaction.ts';

/** What the audit log records. Names of actions, never contents. */
export type AuditAction =
  | 'login'
  | 'login_failed'
  | 'logout'
  | 'user_created'
  | 'user_deactivated'
  | 'user_reactivated'
  | 'password_reset_issued'
  | 'password_reset'
  | 'password_changed'
  | 'sessions_ended'
  | 'network_created'
  | 'team_assigned'
  | 'team_unassigned'
  | 'member_added'
  | 'member_updated'
  | 'member_removed'
  | 'person_marked'
  | 'network_time_zone_set'
  | 'invite_created'
  | 'invite_revoked'
  | 'meeting_created'
  | 'meeting_joined'
  | 'meeting_ended'
  | 'participant_joined'
  | 'participant_left'
  | 'export'
  | 'meeting_rescheduled'
  | 'meeting_team_set'
  | 'addendum_added'
  | 'network_closed'
  | 'network_deleted'
  | 'retention_changed'
  /** A meeting's media key moved on (reason: who left or lost access; never key material). */
  | 'media_key_rotated';

export interface AuditEntry {
  at: string;
  actorKind: 'user' | 'member' | 'system' | 'livekit';
  actorId?: string | undefined;
  action: AuditAction;
  networkId?: string | undefined;
  meetingId?: string | undefined;
  targetId?: string | undefined;
  /** Why an access change was made (a deactivation's reason, as the admin wrote it). */
  reason?: string | undefined;
}

export interface AuditStore {
  record(entry: AuditEntry): Promise<void>;
  /** Newest first; optionally one network's entries only. */
  list(filter: { networkId?: string | undefined; limit: number }): Promise<AuditEntry[]>;
}

export function createSqliteAuditStore(db: DatabaseSync): AuditStore {
  const insert = db.prepare(
    'INSERT INTO audit_log (at, actor_kind, actor_id, action, network_id, meeting_id, target_id, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const all = db.prepare('SELECT * FROM audit_log ORDER BY id DESC LIMIT ?');
  const forNetwork = db.prepare('SELECT * FROM audit_log WHERE network_id = ? ORDER BY id DESC LIMIT ?');
  return {
    async record(e) {
      insert.run(e.at, e.actorKind, e.actorId ?? null, e.action, e.networkId ?? null, e.meetingId ?? null, e.targetId ?? null, e.reason ?? null);
    },
    async list({ networkId, limit }) {
      const rows = networkId ? forNetwork.all(networkId, limit) : all.all(limit);
      return rows.map((row) => ({
        at: String(row['at']),
        actorKind: row['actor_kind'] as AuditEntry['actorKind'],
        actorId: optionalText(row['actor_id']),
        action: row['action'] as AuditAction,
        networkId: optionalText(row['network_id']),
        meetingId: optionalText(row['meeting_id']),
        targetId: optionalText(row['target_id']),
        reason: optionalText(row['reason']),
      }));
    },
  };
}
