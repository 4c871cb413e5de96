import { meetingIdOfRoom, parseParticipantIdentity, participantIdentityOf, roomNameFor, type ParticipantIdentity } from '../../shared/media/rooms.ts';
import type { LiveRooms } from '../livekit/liveRooms.ts';
import type { Logger } from '../log.ts';
import type { Stores } from '../store/stores.ts';
import type { Access } from './access.ts';

export interface MediaGateDeps {
  stores: Pick<Stores, 'meetings' | 'users' | 'members' | 'invites'>;
  access: Pick<Access, 'userStillBelongs'>;
  rooms: LiveRooms;
  logger: Logger;
  now: () => Date;
}

/**
 * Who may be in a meeting's video room, asked whenever LiveKit says someone joined and whenever access
 * changes. LiveKit cannot revoke a token (and refreshes the tokens of connected participants), so this is
 * what makes a token obtained before a revocation useless: whoever joins with it is taken out again.
 */
export function createMediaGate({ stores, access, rooms, logger, now }: MediaGateDeps) {
  const memberMayJoin = async (memberId: string, networkId: string): Promise<boolean> => {
    const member = await stores.members.byId(memberId);
    if (!member || member.networkId !== networkId) return false;
    const invites = await stores.invites.listForNetwork(networkId);
    return invites.some((i) => i.memberId === memberId && i.revokedAt === undefined && new Date(i.expiresAt) > now());
  };

  const mayBeIn = async (meetingId: string, who: ParticipantIdentity): Promise<boolean> => {
    const meeting = await stores.meetings.get(meetingId);
    if (!meeting || meeting.status === 'ended') return false;
    if (who.kind === 'member') return memberMayJoin(who.id, meeting.networkId);
    const user = await stores.users.byId(who.id);
    return user !== undefined && (await access.userStillBelongs(user, meeting.networkId));
  };

  /** Takes `who` out of the rooms of the network's meetings they may no longer be in. */
  const enforceInNetwork = async (networkId: string, who: ParticipantIdentity): Promise<void> => {
    for (const meeting of await stores.meetings.listForNetwork(networkId)) {
      if (meeting.status === 'ended' || (await mayBeIn(meeting.id, who))) continue;
      await rooms.removeParticipant(roomNameFor(meeting.id), participantIdentityOf(who));
    }
  };

  return {
    mayBeIn,
    enforceInNetwork,

    /** LiveKit's `participant_joined`: anyone not allowed in now is removed at once. */
    async participantJoined(roomName: string, identity: string): Promise<void> {
      const meetingId = meetingIdOfRoom(roomName);
      const who = parseParticipantIdentity(identity);
      if (meetingId && who && (await mayBeIn(meetingId, who))) return;
      logger.warn('livekit_participant_refused', { meetingId, kind: who?.kind });
      await rooms.removeParticipant(roomName, identity);
    },

    /** LiveKit's `room_started`: a room of an ended or unknown meeting is closed again (an external LiveKit may auto-create). */
    async roomStarted(roomName: string): Promise<void> {
      const meetingId = meetingIdOfRoom(roomName);
      const meeting = meetingId ? await stores.meetings.get(meetingId) : undefined;
      if (meeting && meeting.status !== 'ended') return;
      logger.warn('livekit_room_refused', { meetingId });
      await rooms.close(roomName);
    },
  };
}

export type MediaGate = ReturnType<typeof createMediaGate>;
