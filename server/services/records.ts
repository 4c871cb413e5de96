import type { ParticipantRole } from '../../shared/api/roles.ts';
import { byClockUrgency, referralClock } from '../../shared/api/referralClock.ts';
import type { CaseloadEntry, ContinuityResponse, DecisionView, MeetingRecord, MemberOverview, QuestionView } from '../../shared/api/records.ts';
import { meetingDocName, networkDocName } from '../../shared/media/rooms.ts';
import { ApiError } from '../errors.ts';
import type { AccessEventPort } from '../events/eventPort.ts';
import { newRandomId } from '../ids.ts';
import type { MeetingRecord as StoredMeeting } from '../store/meetingStore.ts';
import type { Stores } from '../store/stores.ts';
import type { Access } from './access.ts';
import { toTeamUser } from './auth.ts';
import { attendeesOf, firstHeldAtOf, presentAt } from './meetingAttendance.ts';
import { toMeeting } from './meetings.ts';
import { mapOf, noteBlocks, questionsOf, questionsOfMeeting, readAttributedDoc, reflectionsOf } from './recordDocuments.ts';
import { auditActor, type Principal } from './principal.ts';
import { withSchedules } from './scheduling.ts';

export interface RecordServiceDeps {
  stores: Stores;
  access: Access;
  now: () => Date;
  /** Told when someone is taken off a team, so their sockets and video in that network end at once. */
  events: Pick<AccessEventPort, 'publish'>;
}

/**
 * Continuity and the record: the team's list and network page, the record of each meeting (the same for
 * the team and the network), addenda after sealing, and changes of team with their reason.
 */
export function createRecordService({ stores, access, now, events }: RecordServiceDeps) {
  const requireMeeting = async (id: string): Promise<StoredMeeting> => {
    const meeting = await stores.meetings.get(id);
    if (!meeting) throw new ApiError('not_found', 'This meeting does not exist.');
    return meeting;
  };

  /** The 24-hour clock from what happened (attendance), and from the schedule only while nothing was held. */
  const clockOf = async (referredAt: string, meetings: readonly StoredMeeting[]) => {
    const firstHeldAt = await firstHeldAtOf(stores, meetings, now());
    const plannedAt = meetings.find((m) => m.status !== 'ended')?.scheduledAt;
    return { firstHeldAt, clock: referralClock(referredAt, { heldAt: firstHeldAt, plannedAt }, now()) };
  };

  return {
    /** The networks the team member may see, each with its 24-hour clock, next meeting and current team; missed and running clocks first. */
    async caseload(principal: Principal): Promise<CaseloadEntry[]> {
      const actor = access.requireActor(principal);
      const networks = await stores.networks.list(actor.isAdmin ? undefined : actor.userId);
      const entries: CaseloadEntry[] = [];
      for (const network of networks) {
        const meetings = await stores.meetings.listForNetwork(network.id);
        const next = meetings.find((m) => m.status !== 'ended');
        const team = [];
        for (const a of (await stores.networks.team(network.id)).filter((t) => t.unassignedAt === undefined)) {
          const user = await stores.users.byId(a.userId);
          if (user) team.push({ id: user.id, name: user.name, role: user.role });
        }
        const { firstHeldAt, clock } = await clockOf(network.referredAt, meetings);
        entries.push({
          id: network.id,
          personName: network.personName,
          referredAt: network.referredAt,
          ...(firstHeldAt ? { firstHeldAt } : {}),
          ...(next ? { nextMeeting: toMeeting(next) } : {}),
          team,
          clock,
        });
      }
      return entries.sort(byClockUrgency);
    },

    /** The network page's continuity: team history with reasons, meetings with schedules, questions, the map. */
    async continuity(principal: Principal, networkId: string): Promise<ContinuityResponse> {
      await access.requireTeam(principal, networkId);
      const network = await stores.networks.byId(networkId);
      if (!network) throw new ApiError('not_found', 'There is no such network.');
      const teamHistory = [];
      for (const a of await stores.networks.team(networkId)) {
        const user = await stores.users.byId(a.userId);
        if (!user) continue;
        teamHistory.push({
          user: toTeamUser(user),
          assignedAt: a.assignedAt,
          ...(a.unassignedAt ? { unassignedAt: a.unassignedAt } : {}),
          ...(a.reason ? { reason: a.reason } : {}),
        });
      }
      const meetings = await stores.meetings.listForNetwork(networkId);
      const { questions, map } = await readAttributedDoc(stores, networkDocName(networkId), (doc, authorOf) => ({ questions: questionsOf(doc, authorOf), map: mapOf(doc) }));
      const closedAt = await stores.records.closedAt(networkId);
      const { firstHeldAt, clock } = await clockOf(network.referredAt, meetings);
      return {
        teamHistory,
        meetings: await withSchedules(stores, meetings),
        questions: await questionsWithPresence(questions, truePresence(stores, networkId, now())),
        map,
        clock,
        ...(firstHeldAt ? { firstHeldAt } : {}),
        ...(closedAt ? { closedAt } : {}),
      };
    },

    /** Takes someone off the team, keeping the assignment on record with the reason. */
    async unassign(principal: Principal, networkId: string, userId: string, reason: string): Promise<void> {
      const actor = await access.requireTeam(principal, networkId);
      if (!(await stores.networks.isAssigned(networkId, userId))) throw new ApiError('not_found', 'This person is not on the team of this network.');
      const at = now().toISOString();
      await stores.networks.unassign(networkId, userId, at, reason);
      await stores.audit.record({ at, ...auditActor(actor), action: 'team_unassigned', networkId, targetId: userId, reason });
      await events.publish({ kind: 'team_unassigned', networkId, userId });
    },

    /** The record of a meeting, for anyone who belongs to its network. */
    async record(principal: Principal, meetingId: string): Promise<MeetingRecord> {
      const meeting = await requireMeeting(meetingId);
      await access.requireNetwork(principal, meeting.networkId);
      return buildRecord(stores, meeting, now());
    },

    /** Adds to a sealed record, under the name the server knows for whoever is asking. */
    async addAddendum(principal: Principal, meetingId: string, text: string): Promise<MeetingRecord> {
      const meeting = await requireMeeting(meetingId);
      await access.requireNetwork(principal, meeting.networkId);
      if (meeting.status !== 'ended') throw new ApiError('conflict', 'The meeting has not ended: write in its shared notes instead.');
      if (principal.kind !== 'user' && principal.kind !== 'member') throw new ApiError('forbidden', 'Only people in the network can add to its record.');
      const author =
        principal.kind === 'user'
          ? { kind: 'user' as const, id: principal.user.id, name: principal.user.name, role: principal.user.role as ParticipantRole }
          : { kind: 'member' as const, id: principal.member.id, name: principal.member.name, role: (principal.member.isInterpreter ? 'interpreter' : 'network_member') as ParticipantRole };
      const at = now().toISOString();
      const id = newRandomId();
      await stores.records.addAddendum({ id, meetingId, networkId: meeting.networkId, authorKind: author.kind, authorId: author.id, authorName: author.name, authorRole: author.role, text, createdAt: at });
      await stores.audit.record({ at, actorKind: author.kind, actorId: author.id, action: 'addendum_added', networkId: meeting.networkId, meetingId, targetId: id });
      return buildRecord(stores, meeting, now());
    },

    /** What a member sees through their link: meetings ahead, and every past meeting (whose record they may read). */
    async memberOverview(principal: Principal): Promise<MemberOverview> {
      if (principal.kind !== 'member') throw new ApiError('unauthorized', 'This invite link is not valid any more. Please ask the team for a new one.');
      const meetings = await withSchedules(stores, await stores.meetings.listForNetwork(principal.member.networkId));
      return {
        upcoming: meetings.filter((m) => m.status !== 'ended'),
        past: meetings.filter((m) => m.status === 'ended').reverse(),
      };
    },
  };
}

export type RecordService = ReturnType<typeof createRecordService>;

/** Builds a meeting's record from the SQL store (schedule, attendance, addenda) and its two documents. */
export async function buildRecord(stores: Stores, meeting: StoredMeeting, now: Date): Promise<MeetingRecord> {
  const network = await stores.networks.byId(meeting.networkId);
  if (!network) throw new ApiError('not_found', 'There is no such network.');
  const [scheduled] = await withSchedules(stores, [meeting]);
  if (!scheduled) throw new ApiError('internal', 'The meeting could not be read.');
  // Authors and recorders are named from the writers the sync server recorded, never from the documents' own names.
  const meetingPart = await readAttributedDoc(stores, meetingDocName(meeting.id), (doc, authorOf) => ({ notes: noteBlocks(doc, authorOf), reflections: reflectionsOf(doc, authorOf) }));
  const allQuestions = await readAttributedDoc(stores, networkDocName(meeting.networkId), questionsOf);
  const { attendees, startedAt } = await attendeesOf(stores, meeting, now);
  const endedAt = meeting.status === 'ended' ? meeting.endedAt : undefined;
  const durationMinutes = startedAt && endedAt ? Math.max(0, Math.round((Date.parse(endedAt) - Date.parse(startedAt)) / 60_000)) : undefined;
  const addenda = (await stores.records.addenda(meeting.id)).map((a) => ({ id: a.id, authorName: a.authorName, authorRole: a.authorRole, text: a.text, createdAt: a.createdAt }));
  return {
    meeting: scheduled,
    network: { id: network.id, personName: network.personName },
    sealed: meeting.status === 'ended',
    ...(startedAt ? { startedAt } : {}),
    ...(endedAt ? { endedAt } : {}),
    ...(durationMinutes === undefined ? {} : { durationMinutes }),
    attendees,
    ...meetingPart,
    ...(await withPresence(stores, meeting.networkId, questionsOfMeeting(allQuestions, meeting.id), now)),
    addenda,
  };
}

/**
 * Who was present at each decision, from the attendance the server recorded (LiveKit's webhooks, or the
 * shared-space joins) in the meeting the decision was taken in, at the decision's time, never from the
 * list the deciding client wrote. The time is the client's, kept within that meeting: no later than its end.
 */
async function withPresence<T extends { questions: QuestionView[]; decisions: DecisionView[] }>(stores: Stores, networkId: string, part: T, now: Date): Promise<T> {
  const presence = truePresence(stores, networkId, now);
  const decisions = [];
  for (const decision of part.decisions) decisions.push({ ...decision, present: await presence(decision) });
  return { ...part, decisions, questions: await questionsWithPresence(part.questions, presence) };
}

async function questionsWithPresence(questions: readonly QuestionView[], presence: (decision: DecisionView) => Promise<string[]>): Promise<QuestionView[]> {
  const answer = [];
  for (const q of questions) answer.push(q.decision ? { ...q, decision: { ...q.decision, present: await presence(q.decision) } } : q);
  return answer;
}

/** `networkId`: the meeting id is the client's; a meeting of another network tells nothing of who was here. */
function truePresence(stores: Stores, networkId: string, now: Date): (decision: DecisionView) => Promise<string[]> {
  return async (decision) => {
    const meeting = await stores.meetings.get(decision.meetingId);
    if (!meeting || meeting.networkId !== networkId) return [];
    const at = meeting.endedAt !== undefined && decision.decidedAt > meeting.endedAt ? meeting.endedAt : decision.decidedAt;
    return presentAt(stores, meeting, at, now);
  };
}
