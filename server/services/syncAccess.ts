import type { Stores } from '../store/stores.ts';
import type { SyncTicketClaims } from '../sync/tickets.ts';
import type { Access } from './access.ts';

const MEETING_DOC = /^meeting-([A-Za-z0-9_-]{22})$/;
const NETWORK_DOC = /^network-([A-Za-z0-9_-]{22})$/;

/**
 * Whether a sync ticket's holder may still open its document now. Checked on every connection, so a
 * revoked invite or a team member taken off the network cannot reconnect with a ticket minted earlier.
 */
export function createSyncAuthorizer(stores: Stores, access: Access) {
  const networkOf = async (docName: string): Promise<string | undefined> => {
    const network = NETWORK_DOC.exec(docName)?.[1];
    if (network) return network;
    const meetingId = MEETING_DOC.exec(docName)?.[1];
    return meetingId ? (await stores.meetings.get(meetingId))?.networkId : undefined;
  };

  return async (claims: SyncTicketClaims): Promise<boolean> => {
    const networkId = await networkOf(claims.docName);
    if (!networkId) return false;
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
