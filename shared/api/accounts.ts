import { z } from 'zod';
import { CreateUserRequest, NewPassword, TeamUser } from './auth.ts';
import { RandomId } from './ids.ts';
import { TEAM_CHANGE_REASON_MAX } from './records.ts';

/** Where a password reset link points; the one-time token follows in the fragment (never sent to a server log). */
export const RESET_PASSWORD_PATH = '/reset-password';
/** How long a reset link works: a day, enough to reach the person, short enough to go stale quickly. */
export const RESET_LINK_TTL_MS = 24 * 60 * 60 * 1000;
/** Longest user agent kept with a session, in characters: enough to tell a phone from a laptop. */
export const USER_AGENT_MAX = 160;

/** A team account as admins see it on the "Team accounts" page. */
export const TeamAccount = TeamUser.extend({
  createdAt: z.string(),
  /** Set while the account is deactivated: it cannot log in and is on no network. */
  deactivatedAt: z.string().optional(),
});
export type TeamAccount = z.infer<typeof TeamAccount>;

/** `GET /api/users` (admins). */
export const AccountList = z.object({ accounts: z.array(TeamAccount) });
export type AccountList = z.infer<typeof AccountList>;

/** `POST /api/users/:id/deactivate`: why; kept with each network unassignment and in the audit log. */
export const DeactivateRequest = z.strictObject({
  reason: z.string().trim().min(1, 'Please say why the account is deactivated').max(TEAM_CHANGE_REASON_MAX),
});
export type DeactivateRequest = z.infer<typeof DeactivateRequest>;

/** Answer to a deactivation: the networks the person was taken off and how many sessions ended. */
export const DeactivateResponse = z.object({ account: TeamAccount, networkIds: z.array(RandomId), sessionsEnded: z.number().int() });
export type DeactivateResponse = z.infer<typeof DeactivateResponse>;

/**
 * `POST /api/users` (admins): a new team account. Without `password`, the account gets no usable password
 * and the answer carries a one-time reset link instead, so the person chooses their own.
 */
export const AddAccountRequest = CreateUserRequest.extend({ password: NewPassword.optional() });
export type AddAccountRequest = z.infer<typeof AddAccountRequest>;

/** `POST /api/users/:id/password-reset` (admins): a one-time link, shown once, to hand to the person. */
export const ResetLinkResponse = z.object({ url: z.string(), expiresAt: z.string() });
export type ResetLinkResponse = z.infer<typeof ResetLinkResponse>;

/** Answer to adding an account: the account, and its one-time link when no password was given. */
export const AddAccountResponse = z.object({ user: TeamUser, reset: ResetLinkResponse.optional() });
export type AddAccountResponse = z.infer<typeof AddAccountResponse>;

/** `POST /api/auth/reset-password`: the token from the link's fragment and the new password. */
export const CompleteResetRequest = z.strictObject({ token: z.string().min(1).max(128), password: NewPassword });
export type CompleteResetRequest = z.infer<typeof CompleteResetRequest>;

/** `POST /api/auth/password`: a logged-in team member changes their own password. */
export const ChangePasswordRequest = z.strictObject({ currentPassword: z.string().min(1).max(256), newPassword: NewPassword });
export type ChangePasswordRequest = z.infer<typeof ChangePasswordRequest>;

/** One live login session of an account, as admins see it. Never carries the token or its hash. */
export const AccountSession = z.object({
  id: z.string(),
  createdAt: z.string(),
  lastSeenAt: z.string(),
  expiresAt: z.string(),
  userAgent: z.string().optional(),
  address: z.string().optional(),
});
export type AccountSession = z.infer<typeof AccountSession>;

/** `GET /api/users/:id/sessions` (admins). */
export const SessionList = z.object({ sessions: z.array(AccountSession) });
export type SessionList = z.infer<typeof SessionList>;

/** Answer to ending sessions: how many ended. */
export const SessionsEnded = z.object({ ended: z.number().int() });
export type SessionsEnded = z.infer<typeof SessionsEnded>;

/** A session id in a path (hex, 32 characters; made by the server). */
export const SessionId = z.string().regex(/^[0-9a-f]{32}$/, 'not a valid session id');

/** The user id in `/api/users/:id/…`. */
export const AccountId = RandomId;
