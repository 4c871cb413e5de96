import { z } from 'zod';
import { TeamUser } from './auth.ts';
import { RandomId } from './ids.ts';
import { MEETING_TITLE_MAX } from './limits.ts';
import { Meeting, MEETING_TEAM_MAX, MeetingTeamMember } from './meetings.ts';
import { ParticipantRole } from './roles.ts';
import { ReferralClockState } from './referralClock.ts';

/** How the record names each role: in full words, as read by a family member or filed in a clinical record. */
export const RECORD_ROLE_LABELS: Record<ParticipantRole, string> = {
  practitioner: 'practitioner',
  peer_worker: 'peer worker',
  network_member: 'network member',
  interpreter: 'interpreter',
};

/** Most meetings one series may create: a crisis may need daily meetings for some weeks, not months. */
export const SERIES_MAX_MEETINGS = 30;
/** Longest text of one addendum, in characters. */
export const ADDENDUM_MAX = 4000;
/** Longest reason given for a change of team, in characters. */
export const TEAM_CHANGE_REASON_MAX = 500;

/**
 * `POST /api/networks/:id/schedule`: one meeting (`count` 1) or a daily series. `timeZone` (IANA, from the
 * browser) keeps a daily series at the same wall-clock time across a daylight-saving change; without it the
 * series repeats every 24 hours.
 */
export const ScheduleRequest = z.strictObject({
  startsAt: z.iso.datetime({ offset: true }),
  count: z.number().int().min(1).max(SERIES_MAX_MEETINGS).default(1),
  durationMinutes: z.number().int().min(15).max(240).default(60),
  title: z.string().trim().min(1).max(MEETING_TITLE_MAX).optional(),
  timeZone: z.string().min(1).max(64).optional(),
  /** The team members who will come (each on the network's team); absent: the network's team as it is then. */
  teamUserIds: z.array(RandomId).min(1, 'Please choose at least one team member').max(MEETING_TEAM_MAX).optional(),
});
export type ScheduleRequest = z.infer<typeof ScheduleRequest>;

/** A meeting with what the calendar needs: its length and its revision (iCalendar SEQUENCE). */
export const ScheduledMeeting = Meeting.extend({
  durationMinutes: z.number().int(),
  sequence: z.number().int().min(0),
  seriesId: z.string().optional(),
  endedAt: z.string().optional(),
  /** Who from the team will come; given where people are shown it (the network page, the invite page). */
  team: z.array(MeetingTeamMember).optional(),
});
export type ScheduledMeeting = z.infer<typeof ScheduledMeeting>;

/** Answer to scheduling: the meetings made, in time order. */
export const ScheduleResponse = z.object({ meetings: z.array(ScheduledMeeting) });
export type ScheduleResponse = z.infer<typeof ScheduleResponse>;

/** `POST /api/meetings/:id/reschedule`: a new time for a meeting not yet held. */
export const RescheduleRequest = z.strictObject({ scheduledAt: z.iso.datetime({ offset: true }) });
export type RescheduleRequest = z.infer<typeof RescheduleRequest>;

/** `POST /api/networks/:id/team/:userId/unassign`: why someone leaves the team (kept on record). */
export const UnassignRequest = z.strictObject({ reason: z.string().trim().min(1, 'Please say why').max(TEAM_CHANGE_REASON_MAX) });
export type UnassignRequest = z.infer<typeof UnassignRequest>;

/** `POST /api/meetings/:id/addenda`: something added to a sealed record. */
export const AddendumRequest = z.strictObject({ text: z.string().trim().min(1, 'Please write something').max(ADDENDUM_MAX) });
export type AddendumRequest = z.infer<typeof AddendumRequest>;

/** Where a network stands against the 24-hour target (see `referralClock.ts`). */
export const ReferralClockView = z.object({ state: ReferralClockState, text: z.string() });

/**
 * One network in the team's list. `firstHeldAt`: when a team member and a network member were first in a
 * meeting together (absent until then); `nextMeeting`: the next one not yet ended. The list comes ordered
 * missed and running clocks first (see `byClockUrgency`).
 */
export const CaseloadEntry = z.object({
  id: RandomId,
  personName: z.string(),
  referredAt: z.string(),
  firstHeldAt: z.string().optional(),
  nextMeeting: Meeting.optional(),
  team: z.array(z.object({ id: RandomId, name: z.string(), role: z.enum(['practitioner', 'peer_worker']) })),
  /** Computed with the server's clock when answering; clients recompute it as time passes. */
  clock: ReferralClockView,
});
export type CaseloadEntry = z.infer<typeof CaseloadEntry>;

/** `GET /api/caseload`: the networks a team member may see, with their clock, next meeting and team. */
export const CaseloadResponse = z.object({ networks: z.array(CaseloadEntry) });
export type CaseloadResponse = z.infer<typeof CaseloadResponse>;

/** One assignment to a network's team; `unassignedAt`/`reason` are set once the person has left it. */
export const TeamHistoryEntry = z.object({
  user: TeamUser,
  assignedAt: z.string(),
  unassignedAt: z.string().optional(),
  reason: z.string().optional(),
});
export type TeamHistoryEntry = z.infer<typeof TeamHistoryEntry>;

/** A decision as the record shows it: what, when, by whom, and who was present. */
export const DecisionView = z.object({
  text: z.string(),
  decidedAt: z.string(),
  decidedBy: z.string(),
  present: z.array(z.string()),
  meetingId: z.string(),
});
export type DecisionView = z.infer<typeof DecisionView>;

/** Something one person wrote in the meeting, as the record shows it: a chat line, an answer, a view. */
export const RecordEntry = z.object({ author: z.string(), role: ParticipantRole, text: z.string(), writtenAt: z.string() });
export type RecordEntry = z.infer<typeof RecordEntry>;

/** One person's view on an open question, given in the meeting `meetingId`. */
export const PersonViewEntry = RecordEntry.extend({ meetingId: z.string() });
export type PersonViewEntry = z.infer<typeof PersonViewEntry>;

/** An open question as the record shows it, with the meetings it was discussed at. */
export const QuestionView = z.object({
  id: z.string(),
  title: z.string(),
  status: z.enum(['open', 'decided']),
  createdAt: z.string(),
  discussedIn: z.array(z.object({ meetingId: z.string(), at: z.string() })),
  decision: DecisionView.optional(),
  /** Each person's view, oldest first (in a meeting's record: the views given in that meeting). */
  views: z.array(PersonViewEntry).default([]),
});
export type QuestionView = z.infer<typeof QuestionView>;

/** The network map, read only: people and who is connected to whom. */
export const MapSummary = z.object({
  people: z.array(z.object({ id: z.string(), name: z.string(), relationship: z.string(), closeness: z.union([z.literal(1), z.literal(2), z.literal(3)]) })),
  connections: z.array(z.object({ from: z.string(), to: z.string() })),
});
export type MapSummary = z.infer<typeof MapSummary>;

/** `GET /api/networks/:id/continuity` (team): team history, meetings with their schedule, questions, the map. */
export const ContinuityResponse = z.object({
  teamHistory: z.array(TeamHistoryEntry),
  meetings: z.array(ScheduledMeeting),
  questions: z.array(QuestionView),
  map: MapSummary,
  clock: ReferralClockView,
  /** When a team member and a network member were first in a meeting together; absent until then. */
  firstHeldAt: z.string().optional(),
  /** When the work with the network was marked as ended; the retention period counts from here. */
  closedAt: z.string().optional(),
});
export type ContinuityResponse = z.infer<typeof ContinuityResponse>;

/**
 * A stretch of a block's text written by one person. `author` is the name the server knows for the
 * participant whose connection wrote it (absent when nobody is known: notes written before authors were
 * recorded).
 */
export const NoteRun = z.object({
  text: z.string(),
  author: z.string().optional(),
  role: ParticipantRole.optional(),
});
export type NoteRun = z.infer<typeof NoteRun>;

/** One block of the notes, in order; `runs` hold the same text split by who wrote it. */
export const NoteBlock = z.object({
  kind: z.enum(['heading', 'paragraph', 'quote', 'code', 'rule']),
  text: z.string(),
  runs: z.array(NoteRun).optional(),
});
export type NoteBlock = z.infer<typeof NoteBlock>;

/**
 * Someone who attended, from the video attendance (LiveKit's webhooks), or from shared-space joins when there
 * was no video. `lastLeftAt` is absent while they are still in (or when only joins are known);
 * `totalMinutes` counts the time present across rejoins, up to the end (or now, while the meeting runs),
 * and is absent when only shared-space joins are known (no leaves: it would overstate presence).
 */
export const Attendee = z.object({
  name: z.string(),
  role: ParticipantRole,
  firstJoinedAt: z.string(),
  lastLeftAt: z.string().optional(),
  totalMinutes: z.number().int().min(0).optional(),
  /** Each time in the video, from join to leave (no `leftAt` while still in); only when the video reported them. */
  stays: z.array(z.object({ joinedAt: z.string(), leftAt: z.string().optional() })).optional(),
});
export type Attendee = z.infer<typeof Attendee>;

/**
 * The network map as the record shows it: the person at the centre, everyone placed on it (map units, see
 * `shared/doc/networkMap.ts`), who is connected to whom, and the drawing as an SVG made by the server.
 */
export const RecordMap = z.object({
  centreName: z.string(),
  people: z.array(
    z.object({ id: z.string(), name: z.string(), relationship: z.string(), closeness: z.union([z.literal(1), z.literal(2), z.literal(3)]), x: z.number(), y: z.number() }),
  ),
  connections: z.array(z.object({ from: z.string(), to: z.string() })),
  /** A standalone SVG document: no scripts, no links, every label escaped. Shown as an image. */
  svg: z.string(),
});
export type RecordMap = z.infer<typeof RecordMap>;

/** Something added to a sealed record, with its author and time. */
export const Addendum = z.object({
  id: z.string(),
  authorName: z.string(),
  authorRole: ParticipantRole,
  text: z.string(),
  createdAt: z.string(),
});
export type Addendum = z.infer<typeof Addendum>;

/**
 * `GET /api/meetings/:id/record`: the record of one meeting, the same for the team and the network.
 * `sealed` once the meeting has ended: the shared document is then read-only, everything but `addenda` is
 * as it was at the end (frozen then, whatever is written to the network's document later), and `addenda`
 * follow it.
 */
export const MeetingRecord = z.object({
  meeting: ScheduledMeeting,
  network: z.object({ id: RandomId, personName: z.string() }),
  sealed: z.boolean(),
  startedAt: z.string().optional(),
  endedAt: z.string().optional(),
  durationMinutes: z.number().int().optional(),
  attendees: z.array(Attendee),
  notes: z.array(NoteBlock),
  reflections: z.array(z.object({ author: z.string(), role: ParticipantRole, text: z.string(), writtenAt: z.string() })),
  /** Questions discussed at this meeting (open or decided). */
  questions: z.array(QuestionView),
  /** Decisions recorded at this meeting. */
  decisions: z.array(DecisionView.extend({ question: z.string() })),
  addenda: z.array(Addendum),
  /** IANA zone of the network: every time of the record is shown in it, with its name. */
  timeZone: z.string().default('UTC'),
  /** The text chat, oldest first. */
  chat: z.array(RecordEntry).default([]),
  /** What the network made of the reflections, oldest first. */
  reflectionAnswers: z.array(RecordEntry).default([]),
  /** The network map (absent in a record read before maps were part of it). */
  networkMap: RecordMap.optional(),
});
export type MeetingRecord = z.infer<typeof MeetingRecord>;

/**
 * `GET /api/invite/overview` with the invite token. `upcoming`: meetings that can still be joined (live, or
 * not yet past their join window), soonest first; `past`: meetings held (their record can be read), newest
 * first; `notHeld`: meetings whose time went by without the team opening them, newest first.
 */
export const MemberOverview = z.object({
  upcoming: z.array(ScheduledMeeting),
  past: z.array(ScheduledMeeting),
  notHeld: z.array(ScheduledMeeting).default([]),
  /** The network's IANA zone (where the team plans); a member's screen names it when their own differs. */
  timeZone: z.string().optional(),
});
export type MemberOverview = z.infer<typeof MemberOverview>;

/** `PUT /api/admin/retention`: days an ended network is kept before it is deleted (null: kept until deleted by hand). */
export const RetentionSetting = z.strictObject({ endedNetworkRetentionDays: z.number().int().min(1).max(36500).nullable() });
export type RetentionSetting = z.infer<typeof RetentionSetting>;

/** `GET /api/invite/calendar`: with `meeting`, a calendar file for that meeting only; without, every meeting ahead. */
export const InviteCalendarQuery = z.strictObject({ meeting: RandomId.optional() });
export type InviteCalendarQuery = z.infer<typeof InviteCalendarQuery>;
