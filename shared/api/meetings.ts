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

/** Longest list of team members one meeting may name as coming (a team is a pair, sometimes a few more). */
export const MEETING_TEAM_MAX = 20;

/** A team member who will come to a meeting, as the network sees them. */
export const MeetingTeamMember = z.object({ id: RandomId, name: z.string(), role: ParticipantRole });
export type MeetingTeamMember = z.infer<typeof MeetingTeamMember>;

/**
 * When a meeting is, for the screens that tell people so: its start, its length and the network's IANA zone
 * (the zone the team plans in; a member's screen names it when their own differs).
 */
export const MeetingWhen = z.object({
  scheduledAt: z.string(),
  durationMinutes: z.number().int(),
  timeZone: z.string(),
});
export type MeetingWhen = z.infer<typeof MeetingWhen>;

/**
 * Answer to `GET /api/meetings/:id`: the meeting, when it is, and the team members who will come (those
 * chosen for it, else the network's current team).
 */
export const GetMeetingResponse = z.object({ meeting: Meeting, when: MeetingWhen, team: z.array(MeetingTeamMember) });
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
 * The meeting's media key: every browser in the meeting encrypts its audio, video and screen with it before
 * anything leaves the device (LiveKit end-to-end encryption), so the LiveKit server forwards what it cannot
 * read. 32 random-looking bytes as base64url, issued by Polyphony only to people allowed in the meeting and
 * never put in a LiveKit token. `index` grows by one each time the key is replaced (someone left, or lost
 * access); browsers keep the last few keys by index, so frames sent just before a change still play.
 */
export const MediaKey = z.object({
  index: z.number().int().min(0),
  key: z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'a 256-bit key as base64url'),
});
export type MediaKey = z.infer<typeof MediaKey>;

/** Answer to `GET /api/meetings/:id/media-key`: the meeting's current media key. */
export const MediaKeyResponse = z.object({ mediaKey: MediaKey });
export type MediaKeyResponse = z.infer<typeof MediaKeyResponse>;

/**
 * How many media keys a browser keeps at once (LiveKit's key ring): a key's slot is `index % MEDIA_KEY_RING`,
 * and the slot travels in every encrypted frame.
 */
export const MEDIA_KEY_RING = 16;

/** The topic of LiveKit data messages from the server saying that the media key was replaced (no key in them). */
export const MEDIA_KEY_TOPIC = 'polyphony.media-key';

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
    /** The meeting's media key (see MediaKey): for the browser only, never sent on to LiveKit. */
    mediaKey: MediaKey,
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
  /** The team members who will come (chosen for the meeting, else the network's team): whom members wait for. */
  team: z.array(MeetingTeamMember),
  /** When the meeting is: the waiting screen says it in the member's own time. */
  when: MeetingWhen,
  /** Whom the meeting is about: shown at the centre of the map and on the waiting screen. */
  about: MeetingAbout,
});
export type JoinMeetingResponse = z.infer<typeof JoinMeetingResponse>;

/**
 * `PUT /api/meetings/:id/team` (team only, before the meeting has ended): the team members who will come,
 * each assigned to the network's team. Replaces the earlier choice.
 */
export const SetMeetingTeamRequest = z.strictObject({
  userIds: z.array(RandomId).min(1, 'Please choose at least one team member').max(MEETING_TEAM_MAX),
});
export type SetMeetingTeamRequest = z.infer<typeof SetMeetingTeamRequest>;

/** Answer to setting a meeting's team: who comes now. */
export const SetMeetingTeamResponse = z.object({ team: z.array(MeetingTeamMember) });
export type SetMeetingTeamResponse = z.infer<typeof SetMeetingTeamResponse>;
