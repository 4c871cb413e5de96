import { randomBytes } from 'node:crypto';
import type { CreateUserRequest, SetupRequest, TeamUser } from '../../shared/api/auth.ts';
import { USER_AGENT_MAX, type AddAccountRequest } from '../../shared/api/accounts.ts';
import { ApiError } from '../errors.ts';
import type { Access } from './access.ts';
import { newRandomId } from '../ids.ts';
import type { Stores } from '../store/stores.ts';
import type { UserRecord } from '../store/userStore.ts';
import { checkNewPassword } from './passwordPolicy.ts';
import { hashPassword, verifyPassword } from './passwords.ts';
import { auditActor, type Principal } from './principal.ts';
import { createTeamAccounts, writePasswordReset } from './teamAccounts.ts';
import { sha256 } from './tokenHash.ts';

/** How long a login lasts. A working day and then some; the cookie says the same. */
export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;
/** A session's last-seen time is written at most this often, not on every request. */
export const LAST_SEEN_EVERY_MS = 60_000;
/**
 * Each setup link is its own key (`setup_token:<hash>`), so that every link printed stays usable until the
 * first admin exists: several instances starting one after another each print one, and the operator may
 * read any of their logs. `setup_open` is one key for all of them, used up by whichever link makes the
 * admin, so that two different links used at once still make one admin.
 */
const setupTokenKey = (tokenHash: string) => `setup_token:${tokenHash}`;
const SETUP_OPEN_KEY = 'setup_open';
// Verifying against a real hash when the email is unknown keeps the answer time the same either way.
const DUMMY_HASH = hashPassword('not a real password');

export interface AuthDeps {
  stores: Pick<Stores, 'users' | 'sessions' | 'settings' | 'audit' | 'passwordResets' | 'unitOfWork'>;
  /** The access rules (admin standing for account management). */
  access: Pick<Access, 'requireAdmin'>;
  now: () => Date;
  /**
   * Called once a deactivation is committed, with the networks the person was taken off: the place to
   * close their sync sockets and remove them from live video rooms.
   */
  onUserDeactivated?: (userId: string, networkIds: string[]) => Promise<void>;
  /** Called once sessions of the account have ended (logout, reset, ended by an admin): close their sockets. */
  onSessionsEnded?: (userId: string) => Promise<void>;
}

/** Where a login comes from, kept with the session for admins to see. */
export interface LoginOrigin {
  address: string;
  userAgent: string | undefined;
}

/**
 * Team accounts: first-run setup, login and logout, sessions, own password changes and reset links, and
 * (through teamAccounts) what admins do with accounts.
 */
export function createAuthService(deps: AuthDeps) {
  const { stores, now } = deps;

  /** The account to store, checked and with its password hashed (before any unit of work: hashing takes a while). */
  const newUser = async (input: Omit<CreateUserRequest, 'isAdmin'> & { isAdmin: boolean }): Promise<UserRecord> => {
    checkNewPassword(input.password, input);
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
    return user;
  };

  const createUser = async (input: Omit<CreateUserRequest, 'isAdmin'> & { isAdmin: boolean }): Promise<UserRecord> => {
    const user = await newUser(input);
    await stores.users.create(user);
    return user;
  };

  const refusedSetup = () => new ApiError('forbidden', 'This setup link is not valid any more.');

  const accounts = createTeamAccounts(deps);

  return {
    createUser,
    ...accounts,

    /**
     * An admin (or the ops CLI) adds a team account. Without a password, the account gets a random one nobody
     * knows and a one-time reset link (its token returned once) with which the person chooses their own.
     */
    async addAccount(principal: Principal, request: AddAccountRequest): Promise<{ user: UserRecord; reset?: { token: string; expiresAt: string } }> {
      const actor = deps.access.requireAdmin(principal);
      const user = await newUser({ ...request, password: request.password ?? randomBytes(32).toString('base64url') });
      return stores.unitOfWork(async (tx) => {
        await tx.users.create(user);
        await tx.audit.record({ at: now().toISOString(), ...auditActor(actor), action: 'user_created', targetId: user.id });
        return request.password ? { user } : { user, reset: await writePasswordReset(tx, actor, user.id, now()) };
      });
    },

    /** When no admin exists, makes a one-time setup token (returned once, stored hashed). */
    async issueSetupToken(): Promise<string | undefined> {
      if (await stores.users.anyAdmin()) return undefined;
      const token = randomBytes(24).toString('base64url');
      await stores.settings.set(setupTokenKey(sha256(token)), 'valid');
      await stores.settings.set(SETUP_OPEN_KEY, 'open');
      return token;
    },

    /**
     * Creates the first admin. The token and the shared `setup_open` key are used up before the account is
     * made, so of any number of simultaneous requests, with one link or several, exactly one makes an
     * admin. A weak password or a taken email is refused before that, leaving the link usable.
     */
    async setup(request: SetupRequest): Promise<UserRecord> {
      const tokenHash = sha256(request.token);
      if ((await stores.settings.get(setupTokenKey(tokenHash))) !== 'valid' || (await stores.users.anyAdmin())) throw refusedSetup();
      checkNewPassword(request.password, request);
      if (await stores.users.byEmail(request.email)) throw new ApiError('conflict', 'A team member with this email already exists.');
      const passwordHash = await hashPassword(request.password);
      const at = now().toISOString();
      const user: UserRecord = { id: newRandomId(), email: request.email, name: request.name, role: 'practitioner', isAdmin: true, passwordHash, createdAt: at };
      // The token is used up only together with the account made with it: a failure leaves the link usable.
      return stores.unitOfWork(async (tx) => {
        if (!(await tx.settings.consume(setupTokenKey(tokenHash), 'valid')) || !(await tx.settings.consume(SETUP_OPEN_KEY, 'open'))) throw refusedSetup();
        // An instance starting just after another request made the admin may have opened setup again.
        if (await tx.users.anyAdmin()) throw refusedSetup();
        await tx.users.create(user);
        await tx.audit.record({ at, actorKind: 'user', actorId: user.id, action: 'user_created', targetId: user.id });
        return user;
      });
    },

    /** Checks the password; returns a new session token (to set as a cookie) and the user. */
    async login(email: string, password: string, origin: LoginOrigin): Promise<{ token: string; user: UserRecord }> {
      const user = await stores.users.byEmail(email);
      const ok = await verifyPassword(password, user?.passwordHash ?? (await DUMMY_HASH));
      const at = now().toISOString();
      if (!user || !ok) {
        await stores.audit.record({ at, actorKind: 'system', action: 'login_failed', targetId: user?.id });
        throw new ApiError('unauthorized', 'The email or password is not right.');
      }
      // Said only after the right password, so a stranger cannot learn which accounts are deactivated.
      if (user.deactivatedAt) {
        await stores.audit.record({ at, actorKind: 'system', action: 'login_failed', targetId: user.id, reason: 'deactivated' });
        throw new ApiError('forbidden', 'This account has been deactivated, so it cannot log in. If you need it again, please ask an administrator of your team.');
      }
      const token = randomBytes(32).toString('base64url');
      const expiresAt = new Date(now().getTime() + SESSION_TTL_MS).toISOString();
      await stores.unitOfWork(async (tx) => {
        await tx.sessions.create({
          id: randomBytes(16).toString('hex'),
          tokenHash: sha256(token),
          userId: user.id,
          createdAt: at,
          expiresAt,
          lastSeenAt: at,
          userAgent: origin.userAgent?.slice(0, USER_AGENT_MAX),
          address: origin.address,
        });
        await tx.audit.record({ at, actorKind: 'user', actorId: user.id, action: 'login' });
      });
      return { token, user };
    },

    async logout(token: string): Promise<void> {
      const session = await stores.sessions.find(sha256(token), now());
      await stores.sessions.delete(sha256(token));
      if (session) await deps.onSessionsEnded?.(session.userId);
    },

    /** The principal for a session token, or anonymous when it is missing, unknown, expired or deactivated. */
    async principalForSession(token: string | undefined): Promise<Principal> {
      if (!token) return { kind: 'anonymous' };
      const tokenHash = sha256(token);
      const at = now();
      const session = await stores.sessions.find(tokenHash, at);
      const user = session && (await stores.users.byId(session.userId));
      if (!session || !user || user.deactivatedAt) return { kind: 'anonymous' };
      const staleBefore = new Date(at.getTime() - LAST_SEEN_EVERY_MS).toISOString();
      if (session.lastSeenAt < staleBefore) await stores.sessions.touch(tokenHash, at.toISOString(), staleBefore);
      return { kind: 'user', user, sessionId: session.id };
    },

    /** A team member changes their own password; their other sessions end (this one stays). */
    async changePassword(user: UserRecord, sessionToken: string, currentPassword: string, newPassword: string): Promise<void> {
      if (!(await verifyPassword(currentPassword, user.passwordHash))) throw new ApiError('bad_request', 'Your current password is not right.');
      checkNewPassword(newPassword, user);
      const passwordHash = await hashPassword(newPassword);
      await stores.unitOfWork(async (tx) => {
        await tx.users.setPassword(user.id, passwordHash);
        await tx.sessions.deleteForUser(user.id, sha256(sessionToken));
        await tx.audit.record({ at: now().toISOString(), actorKind: 'user', actorId: user.id, action: 'password_changed', targetId: user.id });
      });
      await deps.onSessionsEnded?.(user.id);
    },

    /**
     * Sets a new password with a one-time reset link. A weak password is refused before the link is used,
     * so the person can try again; the link is then used up in one statement (exactly one of simultaneous
     * uses wins), and every session of the account ends.
     */
    async completePasswordReset(token: string, password: string): Promise<void> {
      const tokenHash = sha256(token);
      const refused = new ApiError('forbidden', 'This reset link is not valid any more. Please ask an administrator for a new one.');
      const userId = await stores.passwordResets.peek(tokenHash, now());
      const user = userId ? await stores.users.byId(userId) : undefined;
      if (!user || user.deactivatedAt) throw refused;
      checkNewPassword(password, user);
      const passwordHash = await hashPassword(password);
      await stores.unitOfWork(async (tx) => {
        if ((await tx.passwordResets.consume(tokenHash, now())) !== user.id) throw refused;
        await tx.users.setPassword(user.id, passwordHash);
        await tx.sessions.deleteForUser(user.id);
        await tx.audit.record({ at: now().toISOString(), actorKind: 'user', actorId: user.id, action: 'password_reset', targetId: user.id });
      });
      await deps.onSessionsEnded?.(user.id);
    },
  };
}

export type AuthService = ReturnType<typeof createAuthService>;

/** A user as the API shows it: without the password hash. */
export function toTeamUser(user: UserRecord): TeamUser {
  return { id: user.id, email: user.email, name: user.name, role: user.role, isAdmin: user.isAdmin };
}
