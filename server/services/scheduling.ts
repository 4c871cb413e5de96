import type { MeetingTeamMember } from '../../shared/api/meetings.ts';
import type { ScheduledMeeting, ScheduleRequest } from '../../shared/api/records.ts';
import { ApiError } from '../errors.ts';
import { newRandomId } from '../ids.ts';
import type { InviteRecord } from '../store/inviteStore.ts';
import type { MeetingRecord } from '../store/meetingStore.ts';
import type { Stores } from '../store/stores.ts';
import type { Access } from './access.ts';
import { meetingCalendar } from './calendar.ts';
import type { InviteTokens } from './inviteTokens.ts';
import type { MeetingService } from './meetings.ts';
import { auditActor, type Principal } from './principal.ts';
import { dailySeriesTimes } from './seriesTimes.ts';
import { comingTeam, requireOnTeam, withTeams } from './meetingTeam.ts';

const DEFAULT_DURATION_MINUTES = 60;

export interface SchedulingDeps {
  stores: Stores;
  access: Access;
  meetings: MeetingService;
  tokens: InviteTokens;
  now: () => Date;
}

/** Scheduling meetings, one or a daily series; moving them; and each invitee's calendar file. */
export function createSchedulingService(deps: SchedulingDeps) {
  const { stores, access, now } = deps;

  const scheduled = async (networkId: string): Promise<ScheduledMeeting[]> => withSchedules(stores, await stores.meetings.listForNetwork(networkId));

  /** The invitee's current personal link: their newest invite that still works. */
  const personalLink = async (networkId: string, memberId: string, origin: string): Promise<string> => {
    const live = (await stores.invites.listForNetwork(networkId))
      .filter((i: InviteRecord) => i.memberId === memberId && i.revokedAt === undefined && new Date(i.expiresAt) > now())
      .at(-1);
    if (!live) throw new ApiError('conflict', 'This person has no working invite link. Create one first, then download their calendar file.');
    return new URL(`/i/${deps.tokens.tokenFor(live.id)}`, origin).href;
  };

  const upcoming = async (networkId: string) => (await scheduled(networkId)).filter((m) => m.status !== 'ended');

  return {
    /** Every meeting of a network with its schedule, in time order. Callers check access. */
    scheduled,

    async schedule(principal: Principal, networkId: string, request: ScheduleRequest): Promise<ScheduledMeeting[]> {
      const actor = await access.requireTeam(principal, networkId);
      const teamUserIds = request.teamUserIds ? await requireOnTeam(stores, networkId, request.teamUserIds) : [];
      let times: Date[];
      try {
        times = dailySeriesTimes(new Date(request.startsAt), request.count, request.timeZone);
      } catch {
        throw new ApiError('bad_request', 'timeZone: not a time zone this server knows');
      }
      const seriesId = request.count > 1 ? newRandomId() : undefined;
      // A series is made whole or not at all: no family is sent half of a fortnight of meetings.
      const made = await stores.unitOfWork(async (tx) => {
        const series: ScheduledMeeting[] = [];
        for (const at of times) {
          const meeting = await deps.meetings.createIn(tx, actor, networkId, { scheduledAt: at.toISOString(), ...(request.title ? { title: request.title } : {}) });
          await tx.records.setSchedule({ meetingId: meeting.id, seriesId, durationMinutes: request.durationMinutes, sequence: 0 });
          await tx.meetingTeams.set(meeting.id, teamUserIds);
          series.push({ ...meeting, durationMinutes: request.durationMinutes, sequence: 0, ...(seriesId ? { seriesId } : {}) });
        }
        return series;
      });
      return withTeams(stores, networkId, made);
    },

    /** Moves a meeting not yet held. Its calendar event keeps its UID and gets the next SEQUENCE. */
    async reschedule(principal: Principal, meetingId: string, scheduledAt: string): Promise<ScheduledMeeting> {
      const meeting = await stores.meetings.get(meetingId);
      if (!meeting) throw new ApiError('not_found', 'There is no such meeting.');
      const actor = await access.requireTeam(principal, meeting.networkId);
      if (meeting.status !== 'scheduled') throw new ApiError('conflict', 'Only a meeting that has not started can be moved.');
      const at = new Date(scheduledAt).toISOString();
      await stores.unitOfWork(async (tx) => {
        await tx.records.reschedule(meetingId, at);
        await tx.audit.record({ at: now().toISOString(), ...auditActor(actor), action: 'meeting_rescheduled', networkId: meeting.networkId, meetingId });
      });
      const [moved] = await withSchedules(stores, [{ ...meeting, scheduledAt: at }]);
      if (!moved) throw new ApiError('internal', 'The meeting could not be read back.');
      return moved;
    },

    /** Chooses who from the team will come to a meeting not yet ended; the network sees it on its invite page. */
    async setMeetingTeam(principal: Principal, meetingId: string, userIds: readonly string[]): Promise<MeetingTeamMember[]> {
      const meeting = await stores.meetings.get(meetingId);
      if (!meeting) throw new ApiError('not_found', 'There is no such meeting.');
      const actor = await access.requireTeam(principal, meeting.networkId);
      if (meeting.status === 'ended') throw new ApiError('conflict', 'This meeting has ended: who came is in its record.');
      const chosen = await requireOnTeam(stores, meeting.networkId, userIds);
      await stores.unitOfWork(async (tx) => {
        await tx.meetingTeams.set(meetingId, chosen);
        await tx.audit.record({ at: now().toISOString(), ...auditActor(actor), action: 'meeting_team_set', networkId: meeting.networkId, meetingId });
      });
      return comingTeam(stores, meeting.networkId, meetingId);
    },

    /**
     * A live invite's link again, to resend it (links are derived from the invite id, so nothing new is
     * issued and revoking still ends it). Team only; a revoked or expired invite has no link to resend.
     */
    async inviteLink(principal: Principal, inviteId: string, origin: string): Promise<string> {
      const invite = await stores.invites.byId(inviteId);
      if (!invite) throw new ApiError('not_found', 'There is no such invite.');
      await access.requireTeam(principal, invite.networkId);
      if (invite.revokedAt !== undefined || new Date(invite.expiresAt) <= now()) throw new ApiError('conflict', 'This link no longer works. Make a new one.');
      return new URL(`/i/${deps.tokens.tokenFor(invite.id)}`, origin).href;
    },

    /** The team downloads a member's calendar: every meeting not yet ended, with that member's link. */
    async memberCalendar(principal: Principal, networkId: string, memberId: string, origin: string): Promise<string> {
      await access.requireTeam(principal, networkId);
      const member = await stores.members.byId(memberId);
      if (!member || member.networkId !== networkId) throw new ApiError('not_found', 'There is no such network member.');
      return meetingCalendar(await upcoming(networkId), await personalLink(networkId, memberId, origin), now());
    },

    /** A member downloads their own calendar, with the link they are using: every meeting ahead, or just `meetingId`. */
    async ownCalendar(principal: Principal, origin: string, meetingId?: string): Promise<string> {
      if (principal.kind !== 'member') throw new ApiError('unauthorized', 'Please use your invite link.');
      const link = new URL(`/i/${deps.tokens.tokenFor(principal.invite.id)}`, origin).href;
      const ahead = (await upcoming(principal.member.networkId)).filter((m) => meetingId === undefined || m.id === meetingId);
      if (meetingId !== undefined && ahead.length === 0) throw new ApiError('not_found', 'This meeting is not one still to come in your network.');
      return meetingCalendar(ahead, link, now());
    },
  };
}

export type SchedulingService = ReturnType<typeof createSchedulingService>;

/** Meetings with their schedule; meetings made before scheduling existed get the defaults (1 hour, SEQUENCE 0). */
export async function withSchedules(stores: Pick<Stores, 'records'>, meetings: readonly MeetingRecord[]): Promise<ScheduledMeeting[]> {
  const schedules = await stores.records.schedules(meetings.map((m) => m.id));
  return meetings.map((m) => {
    const s = schedules.get(m.id);
    return {
      id: m.id,
      networkId: m.networkId,
      title: m.title,
      scheduledAt: m.scheduledAt,
      status: m.status,
      createdAt: m.createdAt,
      durationMinutes: s?.durationMinutes ?? DEFAULT_DURATION_MINUTES,
      sequence: s?.sequence ?? 0,
      ...(s?.seriesId ? { seriesId: s.seriesId } : {}),
      ...(m.endedAt ? { endedAt: m.endedAt } : {}),
    };
  });
}
