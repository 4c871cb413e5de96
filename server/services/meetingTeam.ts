import type { MeetingTeamMember } from '../../shared/api/meetings.ts';
import type { ScheduledMeeting } from '../../shared/api/records.ts';
import { ApiError } from '../errors.ts';
import type { Stores } from '../store/stores.ts';

type TeamStores = Pick<Stores, 'networks' | 'users' | 'meetingTeams'>;

/**
 * Who from the team will come to each meeting of one network: those chosen for it who are still on the
 * network's team, else (nobody chosen, or all of them have left the team) the network's current team. A
 * family is never told to wait for someone who is no longer on the team.
 */
export async function comingTeams(stores: TeamStores, networkId: string, meetingIds: readonly string[]): Promise<Map<string, MeetingTeamMember[]>> {
  const current = await currentTeam(stores, networkId);
  const chosen = await stores.meetingTeams.forMeetings(meetingIds);
  const coming = new Map<string, MeetingTeamMember[]>();
  for (const meetingId of meetingIds) {
    const ids = chosen.get(meetingId) ?? [];
    const stillOnTeam = ids.flatMap((id) => current.filter((member) => member.id === id));
    coming.set(meetingId, stillOnTeam.length > 0 ? stillOnTeam : current);
  }
  return coming;
}

/** {@link comingTeams} of one meeting. */
export async function comingTeam(stores: TeamStores, networkId: string, meetingId: string): Promise<MeetingTeamMember[]> {
  return (await comingTeams(stores, networkId, [meetingId])).get(meetingId) ?? [];
}

/** The meetings (all of one network) with who from the team will come to each. */
export async function withTeams(stores: TeamStores, networkId: string, meetings: readonly ScheduledMeeting[]): Promise<ScheduledMeeting[]> {
  const teams = await comingTeams(stores, networkId, meetings.map((m) => m.id));
  return meetings.map((m) => ({ ...m, team: teams.get(m.id) ?? [] }));
}

/** Checks that every chosen user is on the network's team now; the ids without repeats, in the order given. */
export async function requireOnTeam(stores: TeamStores, networkId: string, userIds: readonly string[]): Promise<string[]> {
  const unique = [...new Set(userIds)];
  for (const userId of unique) {
    if (!(await stores.networks.isAssigned(networkId, userId))) {
      throw new ApiError('bad_request', 'teamUserIds: everyone chosen must be on the team of this network.');
    }
  }
  return unique;
}

/** The network's team as it stands now (people taken off it are not), in the order they were assigned. */
async function currentTeam(stores: TeamStores, networkId: string): Promise<MeetingTeamMember[]> {
  const team: MeetingTeamMember[] = [];
  for (const assignment of await stores.networks.team(networkId)) {
    if (assignment.unassignedAt !== undefined) continue;
    const user = await stores.users.byId(assignment.userId);
    if (user && user.deactivatedAt === undefined) team.push({ id: user.id, name: user.name, role: user.role });
  }
  return team;
}
