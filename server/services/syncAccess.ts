import type { Stores } from '../store/stores.ts';
import type { SyncTicketClaims } from '../sync/tickets.ts';
import type { Access } from './access.ts';

const MEETING_DOC = /^meeting-([A-Za-z0-9_-]{22})$/;
const NETWORK_DOC = /^network-([A-Za-z0-9_-]{22})$/;

/**
 * Whether a sync ticket's holder may still open its document now. Checked on every connection, so a
 * revoked invite or a team member taken off the network cannot reconnect with a ticket minted earlier.
 *
 * Sealing: once a meeting has ended its document is read-only for everyone. A read-write ticket for it is
 * refused (the provider reuses the ticket it was given at joining, so this is what stops a reconnecting
 * client from writing); a read-only ticket is let in, and the sync server drops its updates. A network
 * that was deleted has no documents left to open.
 */
export function createSyncAuthorizer(stores: Stores, access: Access) {
  const targetOf = async (docName: string): Promise<{ networkId: string; sealed: boolean } | undefined> => {
    const networkId = NETWORK_DOC.exec(docName)?.[1];
    if (networkId) return (await stores.networks.byId(networkId)) ? { networkId, sealed: false } : undefined;
    const meetingId = MEETING_DOC.exec(docName)?.[1];
    const meeting = meetingId ? await stores.meetings.get(meetingId) : undefined;
    return meeting ? { networkId: meeting.networkId, sealed: meeting.status === 'ended' } : undefined;
  };

  return async (claims: SyncTicketClaims): Promise<boolean> => {
    const target = await targetOf(claims.docName);
    if (!target) return false;
    if (target.sealed && claims.mode !== 'read-only') return false;
    const { networkId } = target;
    const [kind, id] = claims.subject.split(':');
    if (!id) return false;
    if (kind === 'invite') {
      const invite = await stores.invites.byId(id);
      return invite !== undefined && invite.networkId === networkId && invite.revokedAt === undefined && new Date(invite.expiresAt) > new Date();
    }
    if (kind === 'user') {
      const user = await stores.users.byId(id);
      return user !== undefined && (await access.userStillBelongs(user, networkId));
    }
    return false;
  };
}
