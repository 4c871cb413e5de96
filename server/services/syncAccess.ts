import { participantIdentityOf } from '../../shared/media/rooms.ts';
import { SYNC_CLOSE_REASON } from '../../shared/protocol/sync.ts';
import type { Stores } from '../store/stores.ts';
import type { AccessCheck } from '../sync/connectionGrants.ts';
import type { SyncTicketClaims } from '../sync/tickets.ts';
import type { Access } from './access.ts';
import { parseTicketSubject } from './principal.ts';

const MEETING_DOC = /^meeting-([A-Za-z0-9_-]{22})$/;
const NETWORK_DOC = /^network-([A-Za-z0-9_-]{22})$/;

const refused = (reason: string): AccessCheck => ({ ok: false, reason });

/**
 * Whether a sync ticket's holder may still open its document now. Checked on every connection, so a
 * revoked invite or a team member taken off the network cannot reconnect with a ticket minted earlier, and
 * again for open connections whenever an access event says something changed.
 *
 * Sealing: once a meeting has ended its document is read-only for everyone. A read-write ticket for it is
 * refused (the provider reuses the ticket it was given at joining, so this is what stops a reconnecting
 * client from writing); a read-only ticket is let in, and the sync server drops its updates. A network
 * that was deleted has no documents left to open. An invite's access ends at its expiry (`until`).
 *
 * The answer also says whom the holder writes as (`writer`): the participant id (`user-<id>`, `member-<id>`)
 * and role the store knows, which the sync server holds every update to (see server/sync/authorClaims.ts).
 */
export function createSyncAuthorizer(stores: Stores, access: Access, now: () => Date = () => new Date()) {
  const targetOf = async (docName: string): Promise<{ networkId: string; sealed: boolean } | undefined> => {
    const networkId = NETWORK_DOC.exec(docName)?.[1];
    if (networkId) return (await stores.networks.byId(networkId)) ? { networkId, sealed: false } : undefined;
    const meetingId = MEETING_DOC.exec(docName)?.[1];
    const meeting = meetingId ? await stores.meetings.get(meetingId) : undefined;
    return meeting ? { networkId: meeting.networkId, sealed: meeting.status === 'ended' } : undefined;
  };

  return async (claims: SyncTicketClaims): Promise<AccessCheck> => {
    const target = await targetOf(claims.docName);
    if (!target) return refused(SYNC_CLOSE_REASON.networkDeleted);
    if (target.sealed && claims.mode !== 'read-only') return refused(SYNC_CLOSE_REASON.meetingEnded);
    const { networkId } = target;
    const subject = parseTicketSubject(claims.subject);
    if (subject?.kind === 'invite') {
      const invite = await stores.invites.byId(subject.id);
      if (!invite || invite.networkId !== networkId || invite.revokedAt !== undefined) return refused(SYNC_CLOSE_REASON.accessRevoked);
      const until = new Date(invite.expiresAt).getTime();
      const member = await stores.members.byId(invite.memberId);
      if (!member) return refused(SYNC_CLOSE_REASON.accessRevoked);
      const writer = { id: participantIdentityOf({ kind: 'member', id: member.id }), role: member.isInterpreter ? ('interpreter' as const) : ('network_member' as const) };
      return until > now().getTime() ? { ok: true, until, writer } : refused(SYNC_CLOSE_REASON.accessExpired);
    }
    if (subject?.kind === 'user') {
      if (claims.session !== undefined && !(await stores.sessions.isLive(claims.session, now()))) return refused(SYNC_CLOSE_REASON.accessRevoked);
      const user = await stores.users.byId(subject.id);
      if (user === undefined || !(await access.userStillBelongs(user, networkId))) return refused(SYNC_CLOSE_REASON.accessRevoked);
      return { ok: true, writer: { id: participantIdentityOf({ kind: 'user', id: user.id }), role: user.role } };
    }
    return refused(SYNC_CLOSE_REASON.accessRevoked);
  };
}
