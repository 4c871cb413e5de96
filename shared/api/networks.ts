import { z } from 'zod';
import { TeamUser } from './auth.ts';
import { RandomId } from './ids.ts';
import { Meeting } from './meetings.ts';
import { TEAM_CHANGE_REASON_MAX } from './records.ts';
import { TimeZone } from './timeZone.ts';

/**
 * `POST /api/networks`: a network for one person, with the time of referral (the 24-hour clock) and the
 * network's own time zone (IANA; the server's zone when absent), in which its record gives every time.
 */
export const CreateNetworkRequest = z.strictObject({
  personName: z.string().trim().min(1).max(100),
  referredAt: z.iso.datetime({ offset: true }),
  timeZone: TimeZone.optional(),
});
export type CreateNetworkRequest = z.infer<typeof CreateNetworkRequest>;

/**
 * A network: the person it is about (`personName`, given at referral, before any member exists) and, once the
 * team has marked one, which member is that person (`personMemberId`).
 */
export const Network = z.object({
  id: RandomId,
  personName: z.string(),
  personMemberId: RandomId.optional(),
  referredAt: z.string(),
  createdAt: z.string(),
  /** IANA zone in which the network's record gives its times. */
  timeZone: z.string(),
});
export type Network = z.infer<typeof Network>;

/** `PUT /api/networks/:id/time-zone`: the network's own time zone (IANA). */
export const SetTimeZoneRequest = z.strictObject({ timeZone: TimeZone });
export type SetTimeZoneRequest = z.infer<typeof SetTimeZoneRequest>;

/** `POST /api/networks/:id/team`: assign a team member by email. */
export const AssignTeamRequest = z.strictObject({ email: z.email().max(254) });

/** A language as the team writes it ("Arabic", "Tigrinya", "sign language"): free text, short. */
const Language = z.string().trim().min(1, 'Please name the language').max(60);

/**
 * The fields of a network member the team writes: `POST /api/networks/:id/members` adds one, and
 * `PUT /api/networks/:id/members/:memberId` replaces them (an absent optional field is cleared). Contact is
 * shown only to the team. Two different things about interpreting:
 * - `interpreter`: this person IS the interpreter for the network's meetings (not family, not the person),
 *   interpreting in `interpreterLanguage`;
 * - `needsInterpreterIn`: this person NEEDS an interpreter in that language.
 * One person cannot be both; a language for interpreting needs `interpreter` set.
 */
export const MemberFields = z
  .strictObject({
    name: z.string().trim().min(1).max(100),
    relationship: z.string().trim().min(1).max(100),
    contact: z.string().trim().max(200).optional(),
    interpreter: z.boolean().default(false),
    interpreterLanguage: Language.optional(),
    needsInterpreterIn: Language.optional(),
  })
  .refine((m) => !(m.interpreter && m.needsInterpreterIn), { message: 'An interpreter cannot also need one', path: ['needsInterpreterIn'] })
  .refine((m) => m.interpreter || !m.interpreterLanguage, { message: 'Only an interpreter has a language they interpret in', path: ['interpreterLanguage'] });
export type MemberFields = z.infer<typeof MemberFields>;

/** `POST /api/networks/:id/members`. */
export const AddMemberRequest = MemberFields;
export type AddMemberRequest = MemberFields;

/** `PUT /api/networks/:id/members/:memberId`: the member's fields, all replaced. */
export const UpdateMemberRequest = MemberFields;
export type UpdateMemberRequest = MemberFields;

/**
 * `POST /api/networks/:id/members/:memberId/remove`: why. The member's row stays (the record names what they
 * wrote); their links stop working at once and their open connections close.
 */
export const RemoveMemberRequest = z.strictObject({ reason: z.string().trim().min(1, 'Please say why').max(TEAM_CHANGE_REASON_MAX) });
export type RemoveMemberRequest = z.infer<typeof RemoveMemberRequest>;

export const NetworkMember = z.object({
  id: RandomId,
  name: z.string(),
  relationship: z.string(),
  contact: z.string().optional(),
  /** This member is the interpreter for the network's meetings. */
  interpreter: z.boolean(),
  /** The language an interpreter interprets in (absent for members made before it was asked). */
  interpreterLanguage: z.string().optional(),
  /** The language in which this member needs an interpreter. */
  needsInterpreterIn: z.string().optional(),
  /** This member is the person the network is about (at most one per network). */
  isPerson: z.boolean(),
  /** Set once the team removed this member: their links no longer work. */
  removedAt: z.string().optional(),
  /** Why the team removed them, as written then. */
  removedReason: z.string().optional(),
});
export type NetworkMember = z.infer<typeof NetworkMember>;

/**
 * `PUT /api/networks/:id/person`: which member is the person the network is about; `null` unmarks. Marking
 * another member moves the mark (one per network). An interpreter cannot be marked.
 */
export const MarkPersonRequest = z.strictObject({ memberId: RandomId.nullable() });
export type MarkPersonRequest = z.infer<typeof MarkPersonRequest>;

export const Invite = z.object({
  id: RandomId,
  memberId: RandomId,
  createdAt: z.string(),
  expiresAt: z.string(),
  revokedAt: z.string().optional(),
});
export type Invite = z.infer<typeof Invite>;

/** `POST /api/networks/:id/members/:memberId/invites`: days until the link expires (default 14). */
export const CreateInviteRequest = z.strictObject({ expiresInDays: z.number().int().min(1).max(365).default(14) });

/** Answer to creating an invite: the only time the link itself is shown. */
export const CreateInviteResponse = z.object({ invite: Invite, url: z.string() });
export type CreateInviteResponse = z.infer<typeof CreateInviteResponse>;

export const TeamMemberView = z.object({ user: TeamUser, assignedAt: z.string() });

/** `GET /api/networks/:id` for the team. */
export const NetworkDetail = z.object({
  network: Network,
  team: z.array(TeamMemberView),
  members: z.array(NetworkMember),
  invites: z.array(Invite),
  meetings: z.array(Meeting),
});
export type NetworkDetail = z.infer<typeof NetworkDetail>;

export const NetworkList = z.object({ networks: z.array(Network) });
export type NetworkList = z.infer<typeof NetworkList>;

/** `GET /api/invite` with the invite token: what a network member sees of their network. */
export const InviteLanding = z.object({
  network: z.object({ id: RandomId, personName: z.string() }),
  /** `isPerson`: the member holding this link is the person the meetings are about. */
  member: z.object({ id: RandomId, name: z.string(), interpreter: z.boolean(), isPerson: z.boolean() }),
  meetings: z.array(Meeting),
});
export type InviteLanding = z.infer<typeof InviteLanding>;
