import { z } from 'zod';
import { MeetingAbout } from './meetingAbout.ts';
import { RandomId } from './ids.ts';
import { ParticipantRole } from './roles.ts';
import { DisplayName } from './displayName.ts';
import { MEETING_TITLE_MAX } from './limits.ts';

/** `POST /api/networks/:id/meetings`: when the meeting is (ISO 8601, with offset), and an optional title. */
export const CreateMeetingRequest = z.strictObject({
  scheduledAt: z.iso.datetime({ offset: true }),
  title: z.string().trim().min(1).max(MEETING_TITLE_MAX).optional(),
});
export type CreateMeetingRequest = z.infer<typeof CreateMeetingRequest>;

export const MeetingStatus = z.enum(['scheduled', 'live', 'ended']);

/** A meeting as the API shows it. Times are ISO 8601 instants. */
export const Meeting = z.object({
  id: RandomId,
  networkId: RandomId,
  title: z.string(),
  scheduledAt: z.string(),
  status: MeetingStatus,
  createdAt: z.string(),
});
export type Meeting = z.infer<typeof Meeting>;

/** Answer to creating a meeting. */
export const CreateMeetingResponse = z.object({ meeting: Meeting });
export type CreateMeetingResponse = z.infer<typeof CreateMeetingResponse>;

/** Answer to `GET /api/meetings/:id`. */
export const GetMeetingResponse = z.object({ meeting: Meeting });
export type GetMeetingResponse = z.infer<typeof GetMeetingResponse>;

/**
 * `POST /api/meetings/:id/join`: the name others will see (normalised and checked: see {@link DisplayName};
 * the answer's `displayName` is the name as it will be shown). `timeZone` (IANA, from the browser) is used
 * only to say in the member's own time when a meeting that is not open yet opens.
 */
export const JoinMeetingRequest = z.strictObject({
  displayName: DisplayName,
  timeZone: z.string().min(1).max(64).optional(),
});
export type JoinMeetingRequest = z.infer<typeof JoinMeetingRequest>;

/**
 * How to reach the video. `unavailable` carries a plain reason to show; the shared space still works then.
 * `localOnly` means the LiveKit server runs on loopback: the browser must not add public STUN servers.
 */
export const MediaAccess = z.discriminatedUnion('status', [
  z.object({
    status: z.literal('available'),
    url: z.string(),
    token: z.string(),
    localOnly: z.boolean(),
  }),
  z.object({
    status: z.literal('unavailable'),
    reason: z.string(),
    /** Video is starting or restarting on the server: ask again (join again) in a moment, it comes back by itself. */
    retrying: z.boolean().optional(),
  }),
]);
export type MediaAccess = z.infer<typeof MediaAccess>;

/**
 * How to open the shared space: connect the y-websocket provider to `${origin}${path}` with room `docName`
 * and query param `ticket`. The ticket is opaque to clients and short-lived; ask for a new one on rejoin.
 */
export const SyncAccess = z.object({
  path: z.string(),
  docName: z.string(),
  ticket: z.string(),
});
export type SyncAccess = z.infer<typeof SyncAccess>;

/** Answer to `POST /api/meetings/:id/join`. */
export const JoinMeetingResponse = z.object({
  participantId: z.string(),
  displayName: z.string(),
  role: ParticipantRole,
  media: MediaAccess,
  sync: SyncAccess,
  /** The network-level document (network map, open questions across meetings). */
  networkSync: SyncAccess,
  /** The network's team as it stands now, so that network members know whom they are waiting for. */
  team: z.array(z.object({ name: z.string(), role: ParticipantRole })),
  /** Whom the meeting is about: shown at the centre of the map and on the waiting screen. */
  about: MeetingAbout,
});
export type JoinMeetingResponse = z.infer<typeof JoinMeetingResponse>;
