import type { CreateNetworkRequest, MemberFields, Invite, Network, NetworkDetail, NetworkMember } from '../../shared/api/networks.ts';
import { ApiError } from '../errors.ts';
import { newRandomId } from '../ids.ts';
import type { InviteRecord } from '../store/inviteStore.ts';
import type { MemberEdit, MemberRecord } from '../store/memberStore.ts';
import type { NetworkRecord } from '../store/networkStore.ts';
import type { Stores } from '../store/stores.ts';
import type { Access } from './access.ts';
import { toTeamUser } from './auth.ts';
import type { InviteService } from './invites.ts';
import { toMeeting } from './meetings.ts';
import { serverTimeZone, timeZoneOf } from './networkTimeZone.ts';
import { auditActor, type Principal } from './principal.ts';

export interface NetworkServiceDeps {
  stores: Stores;
  access: Access;
  now: () => Date;
  /** Revokes a removed member's invites, closing their open connections (the invite service's own path). */
  invites: Pick<InviteService, 'revokeAllOf' | 'announceRevoked'>;
}

/** Networks, their team and their members. Every read and write checks who is asking first. */
export function createNetworkService({ stores, access, now, invites }: NetworkServiceDeps) {
  const at = () => now().toISOString();
  const requireNetwork = async (id: string): Promise<NetworkRecord> => {
    const network = await stores.networks.byId(id);
    if (!network) throw new ApiError('not_found', 'There is no such network.');
    return network;
  };
  /** A member of this network the team may still change (not removed). */
  const requireCurrentMember = async (networkId: string, memberId: string): Promise<MemberRecord> => {
    const member = await stores.members.byId(memberId);
    if (!member || member.networkId !== networkId) throw new ApiError('not_found', 'This person is not a member of this network.');
    if (member.removedAt !== undefined) throw new ApiError('conflict', 'This person was removed from the network.');
    return member;
  };

  return {
    async create(principal: Principal, request: CreateNetworkRequest): Promise<Network> {
      const actor = access.requireActor(principal);
      const network: NetworkRecord = {
        id: newRandomId(),
        personName: request.personName,
        referredAt: new Date(request.referredAt).toISOString(),
        createdAt: at(),
        createdBy: actor.userId,
        timeZone: request.timeZone ?? serverTimeZone(),
      };
      await stores.unitOfWork(async (tx) => {
        await tx.networks.create(network);
        // Whoever opens a network is on its team from the start (continuity: the same people throughout).
        if (actor.userId) await tx.networks.assign(network.id, actor.userId, network.createdAt);
        await tx.audit.record({ at: network.createdAt, ...auditActor(actor), action: 'network_created', networkId: network.id });
      });
      return toNetwork(network);
    },

    async list(principal: Principal): Promise<Network[]> {
      const actor = access.requireActor(principal);
      return (await stores.networks.list(actor.isAdmin ? undefined : actor.userId)).map(toNetwork);
    },

    async detail(principal: Principal, id: string): Promise<NetworkDetail> {
      await access.requireTeam(principal, id);
      const network = await requireNetwork(id);
      const assignments = (await stores.networks.team(id)).filter((a) => a.unassignedAt === undefined);
      const team = [];
      for (const a of assignments) {
        const user = await stores.users.byId(a.userId);
        if (user) team.push({ user: toTeamUser(user), assignedAt: a.assignedAt });
      }
      return {
        network: toNetwork(network),
        team,
        members: (await stores.members.list(id)).map((m) => toMember(m, network.personMemberId)),
        invites: (await stores.invites.listForNetwork(id)).map(toInvite),
        meetings: (await stores.meetings.listForNetwork(id)).map(toMeeting),
      };
    },

    async assign(principal: Principal, networkId: string, email: string): Promise<void> {
      const actor = await access.requireTeam(principal, networkId);
      await requireNetwork(networkId);
      const user = await stores.users.byEmail(email);
      if (!user) throw new ApiError('not_found', 'There is no team member with this email.');
      if (user.deactivatedAt) throw new ApiError('conflict', 'This team account is deactivated. An administrator can reactivate it first.');
      await stores.unitOfWork(async (tx) => {
        await tx.networks.assign(networkId, user.id, at());
        await tx.audit.record({ at: at(), ...auditActor(actor), action: 'team_assigned', networkId, targetId: user.id });
      });
    },

    async addMember(principal: Principal, networkId: string, request: MemberFields): Promise<NetworkMember> {
      const actor = await access.requireTeam(principal, networkId);
      await requireNetwork(networkId);
      const member: MemberRecord = { id: newRandomId(), networkId, ...memberEdit(request), createdAt: at(), removedAt: undefined, removedReason: undefined };
      await stores.unitOfWork(async (tx) => {
        await tx.members.create(member);
        await tx.audit.record({ at: at(), ...auditActor(actor), action: 'member_added', networkId, targetId: member.id });
      });
      return toMember(member, undefined);
    },

    /** Replaces a member's name, relationship, contact and interpreting fields. */
    async updateMember(principal: Principal, networkId: string, memberId: string, request: MemberFields): Promise<NetworkMember> {
      const actor = await access.requireTeam(principal, networkId);
      const network = await requireNetwork(networkId);
      const member = await requireCurrentMember(networkId, memberId);
      if (request.interpreter && network.personMemberId === memberId) throw new ApiError('conflict', 'The person the network is about cannot be its interpreter.');
      const edit = memberEdit(request);
      await stores.unitOfWork(async (tx) => {
        await tx.members.update(memberId, edit);
        await tx.audit.record({ at: at(), ...auditActor(actor), action: 'member_updated', networkId, targetId: memberId });
      });
      return toMember({ ...member, ...edit }, network.personMemberId);
    },

    /**
     * Removes a member, keeping why. Their row stays, so the record still names what they wrote; every invite
     * of theirs is revoked at once (each holder's sockets and video close); the person mark goes with them.
     */
    async removeMember(principal: Principal, networkId: string, memberId: string, reason: string): Promise<NetworkMember> {
      const actor = await access.requireTeam(principal, networkId);
      const network = await requireNetwork(networkId);
      const member = await requireCurrentMember(networkId, memberId);
      const removedAt = at();
      const revoked = await stores.unitOfWork(async (tx) => {
        await tx.members.remove(memberId, removedAt, reason);
        if (network.personMemberId === memberId) await tx.networks.setPersonMember(networkId, undefined);
        await tx.audit.record({ at: removedAt, ...auditActor(actor), action: 'member_removed', networkId, targetId: memberId, reason });
        return invites.revokeAllOf(tx, actor, memberId, networkId);
      });
      await invites.announceRevoked(revoked);
      return toMember({ ...member, removedAt, removedReason: reason }, undefined);
    },

    /** Sets the zone in which the network's record gives its times (validated at the boundary). */
    async setTimeZone(principal: Principal, networkId: string, timeZone: string): Promise<Network> {
      const actor = await access.requireTeam(principal, networkId);
      const network = await requireNetwork(networkId);
      await stores.unitOfWork(async (tx) => {
        await tx.networks.setTimeZone(networkId, timeZone);
        await tx.audit.record({ at: at(), ...auditActor(actor), action: 'network_time_zone_set', networkId });
      });
      return toNetwork({ ...network, timeZone });
    },

    /**
     * Marks which member is the person the network is about, or nobody (`null`). One per network by the shape
     * of the data: marking another member moves the mark.
     */
    async markPerson(principal: Principal, networkId: string, memberId: string | null): Promise<void> {
      const actor = await access.requireTeam(principal, networkId);
      await requireNetwork(networkId);
      if (memberId !== null) {
        const member = await requireCurrentMember(networkId, memberId);
        if (member.isInterpreter) throw new ApiError('conflict', 'An interpreter cannot be the person the network is about.');
      }
      await stores.unitOfWork(async (tx) => {
        await tx.networks.setPersonMember(networkId, memberId ?? undefined);
        await tx.audit.record({ at: at(), ...auditActor(actor), action: 'person_marked', networkId, ...(memberId ? { targetId: memberId } : {}) });
      });
    },
  };
}

export type NetworkService = ReturnType<typeof createNetworkService>;

export function toNetwork(n: NetworkRecord): Network {
  return {
    id: n.id,
    personName: n.personName,
    ...(n.personMemberId ? { personMemberId: n.personMemberId } : {}),
    referredAt: n.referredAt,
    createdAt: n.createdAt,
    timeZone: timeZoneOf(n),
  };
}

export function toMember(m: MemberRecord, personMemberId: string | undefined): NetworkMember {
  return {
    id: m.id,
    name: m.name,
    relationship: m.relationship,
    interpreter: m.isInterpreter,
    isPerson: m.id === personMemberId,
    ...(m.contact ? { contact: m.contact } : {}),
    ...(m.interpreterLanguage ? { interpreterLanguage: m.interpreterLanguage } : {}),
    ...(m.needsInterpreterIn ? { needsInterpreterIn: m.needsInterpreterIn } : {}),
    ...(m.removedAt ? { removedAt: m.removedAt } : {}),
    ...(m.removedReason ? { removedReason: m.removedReason } : {}),
  };
}

/** The stored fields for a member as the team wrote them (validated: an interpreter never needs one). */
function memberEdit(request: MemberFields): MemberEdit {
  return {
    name: request.name,
    relationship: request.relationship,
    contact: request.contact || undefined,
    isInterpreter: request.interpreter,
    interpreterLanguage: request.interpreter ? request.interpreterLanguage : undefined,
    needsInterpreterIn: request.interpreter ? undefined : request.needsInterpreterIn,
  };
}

export function toInvite(i: InviteRecord): Invite {
  return { id: i.id, memberId: i.memberId, createdAt: i.createdAt, expiresAt: i.expiresAt, ...(i.revokedAt ? { revokedAt: i.revokedAt } : {}) };
}
