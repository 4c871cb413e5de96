import type { CreateInviteResponse, InviteLanding } from '../../shared/api/networks.ts';
import { ApiError } from '../errors.ts';
import { newRandomId } from '../ids.ts';
import type { AccessEventPort } from '../events/eventPort.ts';
import type { InviteRecord } from '../store/inviteStore.ts';
import type { Stores, TransactionalStores } from '../store/stores.ts';
import type { Access } from './access.ts';
import type { InviteTokens } from './inviteTokens.ts';
import { toMeeting } from './meetings.ts';
import { toInvite } from './networks.ts';
import { auditActor, type Actor, type Principal } from './principal.ts';

const DAY_MS = 24 * 60 * 60 * 1000;

export interface InviteServiceDeps {
  stores: Stores;
  access: Access;
  tokens: InviteTokens;
  now: () => Date;
  /** Told of a revocation, so the person's open sockets close and they leave any live call. */
  events: Pick<AccessEventPort, 'publish'>;
}

/** Personal invite links for network members: signed, expiring, revocable, scoped to one network. */
export function createInviteService(deps: InviteServiceDeps) {
  const { stores, access, tokens, now } = deps;
  const pathFor = (inviteId: string) => `/i/${tokens.tokenFor(inviteId)}`;

  const live = (invite: InviteRecord | undefined): invite is InviteRecord =>
    invite !== undefined && invite.revokedAt === undefined && new Date(invite.expiresAt) > now();

  /** Revokes inside the caller's unit of work; the holder is told by {@link announceRevoked} once it commits. */
  const revokeIn = async (tx: TransactionalStores, actor: Actor, invite: InviteRecord): Promise<void> => {
    const at = now().toISOString();
    await tx.invites.revoke(invite.id, at);
    await tx.audit.record({ at, ...auditActor(actor), action: 'invite_revoked', networkId: invite.networkId, targetId: invite.id });
  };
  /** Closes the revoked invites' sockets and video: only after the revocation is committed. */
  const announceRevoked = async (revoked: readonly InviteRecord[]): Promise<void> => {
    for (const invite of revoked) await deps.events.publish({ kind: 'invite_revoked', inviteId: invite.id, networkId: invite.networkId, memberId: invite.memberId });
  };

  return {
    /** `origin` is where the link points (PUBLIC_URL, or the origin the team member is using). */
    async create(principal: Principal, memberId: string, expiresInDays: number, origin: string): Promise<CreateInviteResponse> {
      const member = await stores.members.byId(memberId);
      if (!member) throw new ApiError('not_found', 'There is no such network member.');
      const actor = await access.requireTeam(principal, member.networkId);
      if (member.removedAt !== undefined) throw new ApiError('conflict', 'This person was removed from the network, so they cannot have a link.');
      const createdAt = now();
      const invite: InviteRecord = {
        id: newRandomId(),
        networkId: member.networkId,
        memberId,
        createdAt: createdAt.toISOString(),
        expiresAt: new Date(createdAt.getTime() + expiresInDays * DAY_MS).toISOString(),
        revokedAt: undefined,
      };
      await stores.unitOfWork(async (tx) => {
        await tx.invites.create(invite);
        await tx.audit.record({ at: invite.createdAt, ...auditActor(actor), action: 'invite_created', networkId: invite.networkId, targetId: invite.id });
      });
      return { invite: toInvite(invite), url: new URL(pathFor(invite.id), origin).href };
    },

    async revoke(principal: Principal, inviteId: string): Promise<void> {
      const invite = await stores.invites.byId(inviteId);
      if (!invite) throw new ApiError('not_found', 'There is no such invite.');
      const actor = await access.requireTeam(principal, invite.networkId);
      await stores.unitOfWork((tx) => revokeIn(tx, actor, invite));
      await announceRevoked([invite]);
    },

    /**
     * Revokes every invite of a member that still works (the member is being removed), inside the caller's
     * unit of work: each one as `revoke` does it, so each is in the audit log. Returns them, for the caller
     * to {@link announceRevoked} once the unit has committed. The caller has checked the actor's standing on
     * the member's network.
     */
    async revokeAllOf(tx: TransactionalStores, actor: Actor, memberId: string, networkId: string): Promise<InviteRecord[]> {
      const revoked = (await tx.invites.listForNetwork(networkId)).filter((invite) => invite.memberId === memberId && invite.revokedAt === undefined);
      for (const invite of revoked) await revokeIn(tx, actor, invite);
      return revoked;
    },

    announceRevoked,

    /** The network member behind an invite token, or anonymous when the token is bad, expired or revoked. */
    async principalForToken(token: string | undefined): Promise<Principal> {
      const inviteId = token ? tokens.inviteIdOf(token) : undefined;
      const invite = inviteId ? await stores.invites.byId(inviteId) : undefined;
      if (!live(invite)) return { kind: 'anonymous' };
      const member = await stores.members.byId(invite.memberId);
      // Removing a member revokes their invites too; this holds even if a revocation was somehow missed.
      return member && member.removedAt === undefined ? { kind: 'member', member, invite } : { kind: 'anonymous' };
    },

    /** Whether an invite still lets its holder in (sync connections re-check this). */
    async isLive(inviteId: string): Promise<boolean> {
      return live(await stores.invites.byId(inviteId));
    },

    /** What a member sees on opening their link: whose network, and its meetings. */
    async landing(principal: Principal): Promise<InviteLanding> {
      if (principal.kind !== 'member') throw new ApiError('unauthorized', 'This invite link is not valid any more. Please ask the team for a new one.');
      const network = await stores.networks.byId(principal.member.networkId);
      if (!network) throw new ApiError('not_found', 'This network no longer exists.');
      return {
        network: { id: network.id, personName: network.personName },
        member: { id: principal.member.id, name: principal.member.name, interpreter: principal.member.isInterpreter, isPerson: network.personMemberId === principal.member.id },
        meetings: (await stores.meetings.listForNetwork(network.id)).map(toMeeting),
      };
    },

  };
}

export type InviteService = ReturnType<typeof createInviteService>;
