import type { ParticipantRole } from '../../shared/api/roles.ts';
import { byClockUrgency, referralClock } from '../../shared/api/referralClock.ts';
import { memberJoinWindow } from '../../shared/api/joinWindow.ts';
import { MeetingRecord, type CaseloadEntry, type ScheduledMeeting, type ContinuityResponse, type DecisionView, type MemberOverview, type QuestionView } from '../../shared/api/records.ts';
import { meetingDocName, networkDocName } from '../../shared/media/rooms.ts';
import { ApiError } from '../errors.ts';
import { createLogger, errorFields } from '../log.ts';
import type { AccessEventPort } from '../events/eventPort.ts';
import { newRandomId } from '../ids.ts';
import type { MeetingRecord as StoredMeeting } from '../store/meetingStore.ts';
import type { Stores } from '../store/stores.ts';
import type { Access } from './access.ts';
import { toTeamUser } from './auth.ts';
import { attendeesOf, firstHeldAtOf, presentAt } from './meetingAttendance.ts';
import { toMeeting } from './meetings.ts';
import { timeZoneOf } from './networkTimeZone.ts';
import { chatOf, mapOf, noteBlocks, questionsOf, questionsOfMeeting, readAttributedDoc, recordMapOf, reflectionAnswersOf, reflectionsOf } from './recordDocuments.ts';
import { auditActor, type Principal } from './principal.ts';
import { withSchedules } from './scheduling.ts';
import { withTeams } from './meetingTeam.ts';

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
        meetings: await withTeams(stores, networkId, await withSchedules(stores, meetings)),
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
      await stores.unitOfWork(async (tx) => {
        await tx.networks.unassign(networkId, userId, at, reason);
        await tx.audit.record({ at, ...auditActor(actor), action: 'team_unassigned', networkId, targetId: userId, reason });
      });
      await events.publish({ kind: 'team_unassigned', networkId, userId });
    },

    /** The record of a meeting, for anyone who belongs to its network. */
    async record(principal: Principal, meetingId: string): Promise<MeetingRecord> {
      const meeting = await requireMeeting(meetingId);
      await access.requireNetwork(principal, meeting.networkId);
      return recordOf(stores, meeting, now());
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
      await stores.unitOfWork(async (tx) => {
        await tx.records.addAddendum({ id, meetingId, networkId: meeting.networkId, authorKind: author.kind, authorId: author.id, authorName: author.name, authorRole: author.role, text, createdAt: at });
        await tx.audit.record({ at, actorKind: author.kind, actorId: author.id, action: 'addendum_added', networkId: meeting.networkId, meetingId, targetId: id });
      });
      return recordOf(stores, meeting, now());
    },

    /** What a member sees through their link: meetings ahead, and every past meeting (whose record they may read). */
    async memberOverview(principal: Principal): Promise<MemberOverview> {
      if (principal.kind !== 'member') throw new ApiError('unauthorized', 'This invite link is not valid any more. Please ask the team for a new one.');
      const networkId = principal.member.networkId;
      const meetings = await withTeams(stores, networkId, await withSchedules(stores, await stores.meetings.listForNetwork(networkId)));
      // The same window the join is held to: a meeting the team never opened stops being "coming up" once it closes.
      const stillAhead = (m: ScheduledMeeting) => m.status === 'live' || (m.status === 'scheduled' && now() <= memberJoinWindow(m.scheduledAt, m.durationMinutes).closesAt);
      return {
        upcoming: meetings.filter(stillAhead),
        past: meetings.filter((m) => m.status === 'ended').reverse(),
        notHeld: meetings.filter((m) => m.status === 'scheduled' && !stillAhead(m)).reverse(),
        timeZone: timeZoneOf((await stores.networks.byId(networkId)) ?? {}),
      };
    },
  };
}

export type RecordService = ReturnType<typeof createRecordService>;

/**
 * The record of a meeting as everyone reads and exports it. Once it has ended, that is what it showed at
 * its end (frozen then, see {@link sealRecord}) followed by the addenda, which stay open to additions;
 * before, it is built afresh from the store and the documents.
 */
export async function recordOf(stores: Stores, meeting: StoredMeeting, now: Date): Promise<MeetingRecord> {
  if (meeting.status !== 'ended') return buildRecord(stores, meeting, now);
  let row = await stores.sealedRecords.get(meeting.id);
  if (!row) {
    // Not frozen yet: the process stopped between the end and its sealing, or an older release ended it.
    await sealRecord(stores, meeting, now);
    row = await stores.sealedRecords.get(meeting.id);
  }
  if (!row) throw new ApiError('internal', 'The record of this meeting could not be read.');
  const addenda = (await stores.records.addenda(meeting.id)).map((a) => ({ id: a.id, authorName: a.authorName, authorRole: a.authorRole, text: a.text, createdAt: a.createdAt }));
  const parsed = MeetingRecord.safeParse({ ...upgradeSealedContent(row.format, JSON.parse(row.content) as object), addenda });
  if (!parsed.success) {
    log.error('sealed_record_unreadable', { meetingId: meeting.id, format: row.format, ...errorFields(parsed.error) });
    throw new ApiError('internal', 'The record of this meeting could not be read.');
  }
  return parsed.data;
}

/**
 * The shape of a frozen record's content: the whole MeetingRecord of the release that sealed it, without
 * `addenda`. A release that adds a required field to MeetingRecord raises this and adds a step to
 * {@link upgradeSealedContent}; parts that come from the meeting's own document can be read again from it
 * (the store keeps an ended meeting's document exactly as it was at the end), never from the network's.
 */
export const SEALED_RECORD_FORMAT = 1;

/** Brings stored content of an older format to the current one (no step yet: format 1 is the first). */
function upgradeSealedContent(format: number, content: object): object {
  if (format > SEALED_RECORD_FORMAT) throw new ApiError('internal', 'This record was sealed by a newer release of Polyphony.');
  return content;
}

const log = createLogger({ service: 'polyphony', component: 'records' });

/**
 * Freezes an ended meeting's record: built once, now, and stored; later reads return this content whatever
 * is written afterwards to the network's document or happens in the video room. The meeting's own document
 * is sealed by the store from the moment the meeting is marked ended (no write after that is stored), so
 * what it contributes is what it held at the end. Calling it again changes nothing (the first one stays).
 */
export async function sealRecord(stores: Stores, meeting: StoredMeeting, now: Date): Promise<void> {
  if (meeting.status !== 'ended') throw new ApiError('conflict', 'Only the record of an ended meeting is sealed.');
  const record: Partial<MeetingRecord> = await buildRecord(stores, meeting, now);
  delete record.addenda;
  await stores.sealedRecords.put({
    meetingId: meeting.id,
    networkId: meeting.networkId,
    sealedAt: now.toISOString(),
    format: SEALED_RECORD_FORMAT,
    content: JSON.stringify(record),
  });
}

/**
 * Freezes every ended meeting that has no frozen record: those ended by a release before records were
 * frozen, and any whose sealing a stop interrupted. Run at start, before anyone can write to a network's
 * document, so that what those records show is fixed as early as it can still be. Returns how many.
 */
export async function sealPendingRecords(stores: Stores, now: Date): Promise<number> {
  let sealed = 0;
  for (const id of await stores.sealedRecords.endedWithoutSeal()) {
    const meeting = await stores.meetings.get(id);
    if (!meeting) continue;
    await sealRecord(stores, meeting, now);
    sealed++;
  }
  return sealed;
}

/** Builds a meeting's record from the SQL store (schedule, attendance, addenda) and its two documents. */
export async function buildRecord(stores: Stores, meeting: StoredMeeting, now: Date): Promise<MeetingRecord> {
  const network = await stores.networks.byId(meeting.networkId);
  if (!network) throw new ApiError('not_found', 'There is no such network.');
  const [scheduled] = await withSchedules(stores, [meeting]);
  if (!scheduled) throw new ApiError('internal', 'The meeting could not be read.');
  // Authors and recorders are named from the writers the sync server recorded, never from the documents' own names.
  const meetingPart = await readAttributedDoc(stores, meetingDocName(meeting.id), (doc, authorOf) => ({
    notes: noteBlocks(doc, authorOf),
    reflections: reflectionsOf(doc, authorOf),
    chat: chatOf(doc, authorOf),
    reflectionAnswers: reflectionAnswersOf(doc, authorOf),
  }));
  const { allQuestions, networkMap } = await readAttributedDoc(stores, networkDocName(meeting.networkId), (doc, authorOf) => ({
    allQuestions: questionsOf(doc, authorOf),
    networkMap: recordMapOf(doc, network.personName),
  }));
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
    timeZone: timeZoneOf(network),
    networkMap,
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
