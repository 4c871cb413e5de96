import type { CreateMeetingResponse, JoinMeetingResponse, Meeting } from '../../shared/api/meetings.ts';
import { meetingDocName, roomNameFor, type ParticipantMetadata } from '../../shared/media/rooms.ts';
import { SYNC_PATH } from '../../shared/protocol/sync.ts';
import { ApiError } from '../errors.ts';
import { newRandomId } from '../ids.ts';
import { mediaAccessFor, type MediaStateHolder } from '../livekit/mediaState.ts';
import type { MeetingStore } from '../store/meetingStore.ts';
import type { SyncTicketClaims } from '../sync/tickets.ts';

/** How long a sync ticket stays valid. The provider reuses it on every reconnect, so it spans a long meeting. */
const SYNC_TICKET_TTL_MS = 12 * 60 * 60 * 1000;

export interface MeetingServiceDeps {
  meetings: MeetingStore;
  media: MediaStateHolder;
  signTicket: (claims: SyncTicketClaims) => string;
  now: () => Date;
}

/** The rules for meetings. Until accounts exist, knowing a meeting's unguessable id is what lets one in. */
export function createMeetingService(deps: MeetingServiceDeps) {
  const requireMeeting = async (id: string): Promise<Meeting> => {
    const meeting = await deps.meetings.get(id);
    if (!meeting) throw new ApiError('not_found', 'This meeting link is not valid. Please check it with whoever sent it.');
    return meeting;
  };

  return {
    async create(title: string | undefined): Promise<CreateMeetingResponse> {
      const meeting = { id: newRandomId(), title: title ?? 'Network meeting', createdAt: deps.now().toISOString() };
      await deps.meetings.create(meeting);
      return { meeting, joinPath: `/m/${meeting.id}` };
    },

    get: requireMeeting,

    async join(id: string, displayName: string): Promise<JoinMeetingResponse> {
      const meeting = await requireMeeting(id);
      const participantId = newRandomId();
      const metadata: ParticipantMetadata = { role: 'guest' };
      const media = await mediaAccessFor(deps.media.get(), {
        roomName: roomNameFor(meeting.id),
        identity: participantId,
        displayName,
        metadata: JSON.stringify(metadata),
      });
      const docName = meetingDocName(meeting.id);
      const ticket = deps.signTicket({
        docName,
        mode: 'read-write',
        subject: participantId,
        expiresAt: deps.now().getTime() + SYNC_TICKET_TTL_MS,
      });
      return { participantId, displayName, media, sync: { path: SYNC_PATH, docName, ticket } };
    },
  };
}

export type MeetingService = ReturnType<typeof createMeetingService>;
