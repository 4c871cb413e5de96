import { ApiError } from '../errors.ts';
import type { Stores } from '../store/stores.ts';
import type { UserRecord } from '../store/userStore.ts';
import type { Actor, Principal } from './principal.ts';

/**
 * The access rules, in one place. Admins (and the ops CLI) see every network; a team member sees the
 * networks they are assigned to; a network member sees their own network only, through a live invite.
 */
export function createAccess(stores: Pick<Stores, 'networks'>) {
  /** The logged-in team member's own account (not the CLI: it has none). */
  const requireSessionUser = (principal: Principal): UserRecord => {
    if (principal.kind === 'user') return principal.user;
    if (principal.kind === 'member') throw new ApiError('forbidden', 'Only team members can do this.');
    throw new ApiError('unauthorized', 'Please log in.');
  };

  const requireActor = (principal: Principal): Actor => {
    if (principal.kind === 'system') return { kind: 'system', userId: undefined, isAdmin: true };
    const user = requireSessionUser(principal);
    return { kind: 'user', userId: user.id, isAdmin: user.isAdmin };
  };

  const isTeamOf = async (actor: Actor, networkId: string): Promise<boolean> =>
    actor.isAdmin || (actor.userId !== undefined && (await stores.networks.isAssigned(networkId, actor.userId)));

  const requireTeam = async (principal: Principal, networkId: string): Promise<Actor> => {
    const actor = requireActor(principal);
    if (!(await isTeamOf(actor, networkId))) throw new ApiError('forbidden', 'You are not on the team of this network.');
    return actor;
  };

  return {
    requireSessionUser,
    /** Any team member, or the CLI. */
    requireActor,

    requireAdmin(principal: Principal): Actor {
      const actor = requireActor(principal);
      if (!actor.isAdmin) throw new ApiError('forbidden', 'Only an administrator can do this.');
      return actor;
    },

    /** Team members assigned to the network (or admins): they may manage it. */
    requireTeam,

    /** Anyone who belongs to the network: its team, or one of its invited members. */
    async requireNetwork(principal: Principal, networkId: string): Promise<void> {
      if (principal.kind === 'anonymous') throw new ApiError('unauthorized', 'Please use your invite link or log in.');
      if (principal.kind === 'member') {
        if (principal.member.networkId !== networkId) throw new ApiError('forbidden', 'Your invite is for another network.');
        return;
      }
      await requireTeam(principal, networkId);
    },

    /** Whether a team member may still open the network's documents (checked on every sync connection). */
    async userStillBelongs(user: UserRecord, networkId: string): Promise<boolean> {
      if (user.deactivatedAt) return false;
      return isTeamOf({ kind: 'user', userId: user.id, isAdmin: user.isAdmin }, networkId);
    },
  };
}

export type Access = ReturnType<typeof createAccess>;
