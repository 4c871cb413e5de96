import { randomBytes } from 'node:crypto';
import { RESET_LINK_TTL_MS, type AccountSession, type TeamAccount } from '../../shared/api/accounts.ts';
import { ApiError } from '../errors.ts';
import type { AuditAction } from '../store/auditStore.ts';
import type { SessionRecord } from '../store/sessionStore.ts';
import type { TransactionalStores } from '../store/stores.ts';
import type { UserRecord } from '../store/userStore.ts';
import type { AuthDeps } from './auth.ts';
import { checkNewPassword } from './passwordPolicy.ts';
import { hashPassword } from './passwords.ts';
import { auditActor, type Actor, type Principal } from './principal.ts';
import { sha256 } from './tokenHash.ts';

/**
 * What admins (and the ops CLI) do with team accounts: list them, deactivate and reactivate, issue reset
 * links or set a password, and see and end sessions. Every function checks admin standing first.
 */
export function createTeamAccounts({ stores, access, now, onUserDeactivated, onSessionsEnded }: AuthDeps) {
  const requireAdmin = (principal: Principal): Actor => access.requireAdmin(principal);
  const requireUser = async (userId: string): Promise<UserRecord> => {
    const user = await stores.users.byId(userId);
    if (!user) throw new ApiError('not_found', 'There is no such team account.');
    return user;
  };
  const audit = (tx: Pick<TransactionalStores, 'audit'>, actor: Actor, action: AuditAction, targetId: string, extra: { networkId?: string; reason?: string } = {}) =>
    tx.audit.record({ at: now().toISOString(), ...auditActor(actor), action, targetId, ...extra });

  return {
    async listAccounts(principal: Principal): Promise<TeamAccount[]> {
      requireAdmin(principal);
      return (await stores.users.list()).map(toTeamAccount);
    },

    /** The account with this email, for the ops CLI (which names people by email). */
    async accountByEmail(principal: Principal, email: string): Promise<TeamAccount> {
      requireAdmin(principal);
      const user = await stores.users.byEmail(email);
      if (!user) throw new ApiError('not_found', 'There is no team account with this email.');
      return toTeamAccount(user);
    },

    /**
     * Deactivates an account: in one transaction it is marked, its sessions and reset links end and it is
     * taken off every network with `reason` kept; then onUserDeactivated ends what is live (sockets, video).
     */
    async deactivate(principal: Principal, userId: string, reason: string): Promise<{ account: TeamAccount; networkIds: string[]; sessionsEnded: number }> {
      const actor = requireAdmin(principal);
      const result = await stores.unitOfWork(async (tx) => {
        const outcome = await tx.users.deactivate(userId, now().toISOString(), reason);
        if (outcome.status === 'not_found') throw new ApiError('not_found', 'There is no such team account.');
        if (outcome.status === 'already_deactivated') throw new ApiError('conflict', 'This account is already deactivated.');
        if (outcome.status === 'last_admin') {
          throw new ApiError('conflict', 'This is the last active administrator. Make someone else an administrator first, so the team is not left without one.');
        }
        await audit(tx, actor, 'user_deactivated', userId, { reason });
        for (const networkId of outcome.networkIds) await audit(tx, actor, 'team_unassigned', userId, { networkId, reason });
        return outcome;
      });
      await onUserDeactivated?.(userId, result.networkIds);
      return { account: toTeamAccount(await requireUser(userId)), networkIds: result.networkIds, sessionsEnded: result.sessionsEnded };
    },

    /** Lets a deactivated account log in again. It is not put back on any network: the team does that. */
    async reactivate(principal: Principal, userId: string): Promise<TeamAccount> {
      const actor = requireAdmin(principal);
      await requireUser(userId);
      await stores.unitOfWork(async (tx) => {
        if (!(await tx.users.reactivate(userId))) throw new ApiError('conflict', 'This account is not deactivated.');
        await audit(tx, actor, 'user_reactivated', userId);
      });
      return toTeamAccount(await requireUser(userId));
    },

    /** A one-time reset link's token (shown once, stored hashed); any earlier link of the account stops working. */
    async issuePasswordReset(principal: Principal, userId: string): Promise<{ token: string; expiresAt: string }> {
      const actor = requireAdmin(principal);
      const user = await requireUser(userId);
      if (user.deactivatedAt) throw new ApiError('conflict', 'This account is deactivated. Reactivate it first.');
      return stores.unitOfWork((tx) => writePasswordReset(tx, actor, userId, now()));
    },

    /** Sets a password directly (the ops CLI's --password-stdin); every session of the account ends. */
    async setPassword(principal: Principal, userId: string, password: string): Promise<void> {
      const actor = requireAdmin(principal);
      const user = await requireUser(userId);
      checkNewPassword(password, user);
      const passwordHash = await hashPassword(password);
      await stores.unitOfWork(async (tx) => {
        await tx.users.setPassword(userId, passwordHash);
        await tx.sessions.deleteForUser(userId);
        await audit(tx, actor, 'password_reset', userId);
      });
      await onSessionsEnded?.(userId);
    },

    async sessionsOf(principal: Principal, userId: string): Promise<AccountSession[]> {
      requireAdmin(principal);
      await requireUser(userId);
      return (await stores.sessions.listForUser(userId, now())).map(toAccountSession);
    },

    async endSession(principal: Principal, userId: string, sessionId: string): Promise<void> {
      const actor = requireAdmin(principal);
      await stores.unitOfWork(async (tx) => {
        if (!(await tx.sessions.deleteById(userId, sessionId))) throw new ApiError('not_found', 'There is no such session; it may have ended already.');
        await audit(tx, actor, 'sessions_ended', userId);
      });
      await onSessionsEnded?.(userId);
    },

    async endAllSessions(principal: Principal, userId: string): Promise<number> {
      const actor = requireAdmin(principal);
      await requireUser(userId);
      const ended = await stores.unitOfWork(async (tx) => {
        const count = await tx.sessions.deleteForUser(userId);
        await audit(tx, actor, 'sessions_ended', userId);
        return count;
      });
      await onSessionsEnded?.(userId);
      return ended;
    },
  };
}

/**
 * A one-time reset link for `userId` inside the caller's unit of work: its token (returned once, stored
 * hashed) replaces any earlier link of the account, and the issue is audited.
 */
export async function writePasswordReset(tx: Pick<TransactionalStores, 'passwordResets' | 'audit'>, actor: Actor, userId: string, now: Date): Promise<{ token: string; expiresAt: string }> {
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(now.getTime() + RESET_LINK_TTL_MS).toISOString();
  await tx.passwordResets.replace({ tokenHash: sha256(token), userId, createdAt: now.toISOString(), expiresAt });
  await tx.audit.record({ at: now.toISOString(), ...auditActor(actor), action: 'password_reset_issued', targetId: userId });
  return { token, expiresAt };
}

function toTeamAccount(user: UserRecord): TeamAccount {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    isAdmin: user.isAdmin,
    createdAt: user.createdAt,
    ...(user.deactivatedAt ? { deactivatedAt: user.deactivatedAt } : {}),
  };
}

function toAccountSession(s: SessionRecord): AccountSession {
  return {
    id: s.id,
    createdAt: s.createdAt,
    lastSeenAt: s.lastSeenAt,
    expiresAt: s.expiresAt,
    ...(s.userAgent ? { userAgent: s.userAgent } : {}),
    ...(s.address ? { address: s.address } : {}),
  };
}
