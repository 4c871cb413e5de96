import { createHash, randomBytes } from 'node:crypto';
import type { CreateUserRequest, SetupRequest, TeamUser } from '../../shared/api/auth.ts';
import { ApiError } from '../errors.ts';
import { newRandomId } from '../ids.ts';
import type { Stores } from '../store/stores.ts';
import type { UserRecord } from '../store/userStore.ts';
import { hashPassword, verifyPassword } from './passwords.ts';
import type { Principal } from './principal.ts';

/** How long a login lasts. A working day and then some; the cookie says the same. */
export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;
const SETUP_TOKEN_KEY = 'setup_token_hash';
// Verifying against a real hash when the email is unknown keeps the answer time the same either way.
const DUMMY_HASH = hashPassword('not a real password');

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

export interface AuthDeps {
  stores: Pick<Stores, 'users' | 'sessions' | 'settings' | 'audit'>;
  now: () => Date;
}

/** Team accounts: first-run setup, login and logout, sessions, and admins adding team members. */
export function createAuthService({ stores, now }: AuthDeps) {
  const createUser = async (input: Omit<CreateUserRequest, 'isAdmin'> & { isAdmin: boolean }): Promise<UserRecord> => {
    if (await stores.users.byEmail(input.email)) throw new ApiError('conflict', 'A team member with this email already exists.');
    const user: UserRecord = {
      id: newRandomId(),
      email: input.email,
      name: input.name,
      role: input.role,
      isAdmin: input.isAdmin,
      passwordHash: await hashPassword(input.password),
      createdAt: now().toISOString(),
    };
    await stores.users.create(user);
    return user;
  };

  return {
    createUser,

    /** When no admin exists, makes a one-time setup token (returned once, stored hashed). */
    async issueSetupToken(): Promise<string | undefined> {
      if (await stores.users.anyAdmin()) return undefined;
      const token = randomBytes(24).toString('base64url');
      await stores.settings.set(SETUP_TOKEN_KEY, sha256(token));
      return token;
    },

    async setup(request: SetupRequest): Promise<UserRecord> {
      const stored = await stores.settings.get(SETUP_TOKEN_KEY);
      if ((await stores.users.anyAdmin()) || !stored || stored !== sha256(request.token)) {
        throw new ApiError('forbidden', 'This setup link is not valid any more.');
      }
      const user = await createUser({ ...request, role: 'practitioner', isAdmin: true });
      await stores.settings.delete(SETUP_TOKEN_KEY);
      await stores.audit.record({ at: now().toISOString(), actorKind: 'user', actorId: user.id, action: 'user_created', targetId: user.id });
      return user;
    },

    /** Checks the password; returns a new session token (to set as a cookie) and the user. */
    async login(email: string, password: string): Promise<{ token: string; user: UserRecord }> {
      const user = await stores.users.byEmail(email);
      const ok = await verifyPassword(password, user?.passwordHash ?? (await DUMMY_HASH));
      const at = now().toISOString();
      if (!user || !ok) {
        await stores.audit.record({ at, actorKind: 'system', action: 'login_failed', targetId: user?.id });
        throw new ApiError('unauthorized', 'The email or password is not right.');
      }
      const token = randomBytes(32).toString('base64url');
      const expiresAt = new Date(now().getTime() + SESSION_TTL_MS).toISOString();
      await stores.sessions.create({ tokenHash: sha256(token), userId: user.id, createdAt: at, expiresAt });
      await stores.audit.record({ at, actorKind: 'user', actorId: user.id, action: 'login' });
      return { token, user };
    },

    async logout(token: string): Promise<void> {
      await stores.sessions.delete(sha256(token));
    },

    /** The principal for a session token, or anonymous when it is missing, unknown or expired. */
    async principalForSession(token: string | undefined): Promise<Principal> {
      if (!token) return { kind: 'anonymous' };
      const session = await stores.sessions.find(sha256(token), now());
      const user = session && (await stores.users.byId(session.userId));
      return user ? { kind: 'user', user } : { kind: 'anonymous' };
    },
  };
}

export type AuthService = ReturnType<typeof createAuthService>;

/** A user as the API shows it: without the password hash. */
export function toTeamUser(user: UserRecord): TeamUser {
  return { id: user.id, email: user.email, name: user.name, role: user.role, isAdmin: user.isAdmin };
}
