import { z } from 'zod';
import { RandomId } from './ids.ts';

/** A team member's role; admins are team members with the admin flag. */
export const TeamRole = z.enum(['practitioner', 'peer_worker']);
export type TeamRole = z.infer<typeof TeamRole>;

export const Email = z.email('Please enter a valid email address').max(254).transform((e) => e.toLowerCase());
/** At least 12 characters: long passphrases beat complex short ones (NIST 800-63B). */
export const NewPassword = z.string().min(12, 'Please use at least 12 characters').max(256);

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
