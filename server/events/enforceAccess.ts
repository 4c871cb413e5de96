import { meetingDocName, networkDocName, participantIdentityOf, roomNameFor } from '../../shared/media/rooms.ts';
import type { LiveRooms } from '../livekit/liveRooms.ts';
import type { MediaGate } from '../services/mediaGate.ts';
import type { MediaKeys } from '../services/mediaKeys.ts';
import { ticketSubject } from '../services/principal.ts';
import type { SyncServer } from '../sync/syncServer.ts';
import type { AccessEvent } from './accessEvents.ts';

export interface AccessEnforcerDeps {
  sync: Pick<SyncServer, 'recheck' | 'dropDocuments'>;
  rooms: LiveRooms;
  gate: Pick<MediaGate, 'enforceInNetwork'>;
  /** Replaces the media key of the meetings still going, so that whoever lost access cannot decrypt what follows. */
  keys: Pick<MediaKeys, 'rotateInNetwork'>;
}

/**
 * What ends when access is lost: the person's shared-space sockets and their place in the video room.
 * Sockets are re-checked against the store (so the sync authoriser's rules, and its reasons, decide);
 * video rooms are asked of the media gate, or closed outright when the meeting or the network is gone. The
 * media key of the meetings the person could have been in is replaced after they are out (mediaKeys.ts).
 */
export function createAccessEnforcer({ sync, rooms, gate, keys }: AccessEnforcerDeps): (event: AccessEvent) => Promise<void> {
  return async (event) => {
    switch (event.kind) {
      case 'invite_revoked':
      case 'invite_expired': {
        const subject = ticketSubject({ kind: 'invite', id: event.inviteId });
        await Promise.all([sync.recheck((c) => c.subject === subject), gate.enforceInNetwork(event.networkId, { kind: 'member', id: event.memberId })]);
        await keys.rotateInNetwork(event.networkId, event.eventId);
        return;
      }
      case 'team_unassigned': {
        const subject = ticketSubject({ kind: 'user', id: event.userId });
        await Promise.all([sync.recheck((c) => c.subject === subject), gate.enforceInNetwork(event.networkId, { kind: 'user', id: event.userId })]);
        await keys.rotateInNetwork(event.networkId, event.eventId);
        return;
      }
      case 'user_deactivated': {
        const subject = ticketSubject({ kind: 'user', id: event.userId });
        await Promise.all([sync.recheck((c) => c.subject === subject), rooms.removeEverywhere(participantIdentityOf({ kind: 'user', id: event.userId }))]);
        for (const networkId of event.networkIds) await keys.rotateInNetwork(networkId, event.eventId);
        return;
      }
      case 'sessions_ended': {
        // Only sockets opened in a session that has ended close; the person's other sessions stay in. (LiveKit
        // knows people, not sessions: video is left to the meeting's own end, or a deactivation.)
        const subject = ticketSubject({ kind: 'user', id: event.userId });
        await sync.recheck((c) => c.subject === subject);
        return;
      }
      case 'meeting_ended': {
        const docName = meetingDocName(event.meetingId);
        await Promise.all([sync.recheck((c) => c.docName === docName), rooms.close(roomNameFor(event.meetingId))]);
        return;
      }
      case 'network_erased': {
        const docNames = new Set([networkDocName(event.networkId), ...event.meetingIds.map(meetingDocName)]);
        await Promise.all([sync.recheck((c) => docNames.has(c.docName)), ...event.meetingIds.map((id) => rooms.close(roomNameFor(id)))]);
        // Closing the sockets leaves the documents in memory for the unload grace: an erased network's
        // content must not stay anywhere, in any instance, so they are dropped now.
        await sync.dropDocuments(docNames);
        return;
      }
    }
  };
}
