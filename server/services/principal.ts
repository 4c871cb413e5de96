import type { InviteRecord } from '../store/inviteStore.ts';
import type { MemberRecord } from '../store/memberStore.ts';
import type { UserRecord } from '../store/userStore.ts';

/**
 * Who is asking: a logged-in team member, a network member through their invite, the ops CLI run by an
 * operator on the server itself (with admin standing), or nobody known.
 */
export type Principal =
  /** `sessionId`: the login session the request came with (absent for principals made without one). */
  | { kind: 'user'; user: UserRecord; sessionId?: string }
  | { kind: 'member'; member: MemberRecord; invite: InviteRecord }
  | { kind: 'system' }
  | { kind: 'anonymous' };

/** Who acted, as the audit log and `created_by` columns record it. */
export interface Actor {
  kind: 'user' | 'system';
  /** The team member's id; undefined for the ops CLI. */
  userId: string | undefined;
  isAdmin: boolean;
}

/**
 * The subject written into sync tickets: the invite for a network member (so revoking that invite closes
 * exactly the sockets it opened), the account for a team member. Ids only, never a name.
 */
export function ticketSubjectOf(principal: Extract<Principal, { kind: 'user' | 'member' }>): string {
  return principal.kind === 'user' ? ticketSubject({ kind: 'user', id: principal.user.id }) : ticketSubject({ kind: 'invite', id: principal.invite.id });
}

/** Whom a sync ticket is for: a team account, or the invite a network member came in with. */
export type TicketSubject = { kind: 'user' | 'invite'; id: string };

/** `user:<id>` or `invite:<id>`. */
export function ticketSubject(subject: TicketSubject): string {
  return `${subject.kind}:${subject.id}`;
}

/** The inverse of {@link ticketSubject}; undefined for anything else. */
export function parseTicketSubject(text: string): TicketSubject | undefined {
  const match = /^(user|invite):([A-Za-z0-9_-]{22})$/.exec(text);
  return match?.[1] && match[2] ? { kind: match[1] === 'user' ? 'user' : 'invite', id: match[2] } : undefined;
}

/** Audit fields for an actor. */
export function auditActor(actor: Actor): { actorKind: 'user' | 'system'; actorId: string | undefined } {
  return { actorKind: actor.kind, actorId: actor.userId };
}
