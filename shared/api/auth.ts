import { z } from 'zod';
import { RandomId } from './ids.ts';

/** A team member's role; admins are team members with the admin flag. */
export const TeamRole = z.enum(['practitioner', 'peer_worker']);
export type TeamRole = z.infer<typeof TeamRole>;

export const Email = z.email('Please enter a valid email address').max(254).transform((e) => e.toLowerCase());
/**
 * Shortest new password. NIST SP 800-63B rev 4 asks for at least 15 characters where the password is the
 * only factor, as it is here; a few unrelated words reach that easily and are easier to remember than
 * short complex strings. Existing shorter passwords still log in; the rule applies to new ones.
 */
export const PASSWORD_MIN_LENGTH = 15;
/** Longest new password (NIST asks to allow at least 64). */
export const PASSWORD_MAX_LENGTH = 128;

/**
 * A new password's length. The server also refuses common, repetitive, sequential and keyboard-walk
 * passwords and ones built from the person's name or email (with a message saying which and why).
 */
export const NewPassword = z
  .string()
  .min(PASSWORD_MIN_LENGTH, `Please use at least ${PASSWORD_MIN_LENGTH} characters. A few unrelated words make a long password that is easy to remember.`)
  .max(PASSWORD_MAX_LENGTH, `Please use at most ${PASSWORD_MAX_LENGTH} characters.`);

/** A team member as the API shows it. Never carries the password hash. */
export const TeamUser = z.object({
  id: RandomId,
  email: z.string(),
  name: z.string(),
  role: TeamRole,
  isAdmin: z.boolean(),
});
export type TeamUser = z.infer<typeof TeamUser>;

/** `POST /api/auth/login`. */
export const LoginRequest = z.strictObject({ email: Email, password: z.string().min(1).max(256) });
export type LoginRequest = z.infer<typeof LoginRequest>;

/** Answer to login and to `GET /api/auth/session`. */
export const SessionResponse = z.object({ user: TeamUser });
export type SessionResponse = z.infer<typeof SessionResponse>;

/** `POST /api/setup`: the first admin, with the one-time token the server printed at first start. */
export const SetupRequest = z.strictObject({
  token: z.string().min(1).max(128),
  email: Email,
  name: z.string().trim().min(1).max(100),
  password: NewPassword,
});
export type SetupRequest = z.infer<typeof SetupRequest>;

/** `POST /api/users` (admins). */
export const CreateUserRequest = z.strictObject({
  email: Email,
  name: z.string().trim().min(1).max(100),
  role: TeamRole,
  isAdmin: z.boolean().default(false),
  password: NewPassword,
});
export type CreateUserRequest = z.infer<typeof CreateUserRequest>;
