import { z } from 'zod';
import { TeamUser } from './auth.ts';
import { RandomId } from './ids.ts';
import { Meeting } from './meetings.ts';
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

/** `POST /api/networks/:id/members`. Contact is optional and shown only to the team. */
export const AddMemberRequest = z.strictObject({
  name: z.string().trim().min(1).max(100),
  relationship: z.string().trim().min(1).max(100),
  contact: z.string().trim().max(200).optional(),
  interpreter: z.boolean().default(false),
});
export type AddMemberRequest = z.infer<typeof AddMemberRequest>;

export const NetworkMember = z.object({
  id: RandomId,
  name: z.string(),
  relationship: z.string(),
  contact: z.string().optional(),
  interpreter: z.boolean(),
  /** This member is the person the network is about (at most one per network). */
  isPerson: z.boolean(),
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
