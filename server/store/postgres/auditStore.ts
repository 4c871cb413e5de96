import type { AuditAction, AuditEntry, AuditStore } from '../auditStore.ts';
import { optionalString, type Sql } from './sql.ts';

interface AuditRow {
  at: string;
  actor_kind: AuditEntry['actorKind'];
  actor_id: string | null;
  action: AuditAction;
  network_id: string | null;
  meeting_id: string | null;
  target_id: string | null;
  reason: string | null;
}

export function createPostgresAuditStore(sql: Sql): AuditStore {
  return {
    async record(e) {
      await sql.query(
        'INSERT INTO audit_log (at, actor_kind, actor_id, action, network_id, meeting_id, target_id, reason) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)',
        [e.at, e.actorKind, e.actorId ?? null, e.action, e.networkId ?? null, e.meetingId ?? null, e.targetId ?? null, e.reason ?? null],
      );
    },
    async list({ networkId, limit }) {
      const result = networkId
        ? await sql.query<AuditRow>('SELECT * FROM audit_log WHERE network_id = $1 ORDER BY id DESC LIMIT $2', [networkId, limit])
        : await sql.query<AuditRow>('SELECT * FROM audit_log ORDER BY id DESC LIMIT $1', [limit]);
      return result.rows.map((row) => ({
        at: row.at,
        actorKind: row.actor_kind,
        actorId: optionalString(row.actor_id),
        action: row.action,
        networkId: optionalString(row.network_id),
        meetingId: optionalString(row.meeting_id),
        targetId: optionalString(row.target_id),
        reason: optionalString(row.reason),
      }));
    },
  };
}
