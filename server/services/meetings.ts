import type { MeetingAbout } from '../../shared/api/meetingAbout.ts';
import { memberJoinWindow } from '../../shared/api/joinWindow.ts';
import type { CreateMeetingRequest, GetMeetingResponse, JoinMeetingResponse, Meeting, MediaKeyResponse, MeetingWhen, SyncAccess } from '../../shared/api/meetings.ts';
import { isTeamRole, type ParticipantRole } from '../../shared/api/roles.ts';
import { meetingDocName, networkDocName, participantIdentityOf, roomNameFor, type ParticipantMetadata } from '../../shared/media/rooms.ts';
import { SYNC_PATH } from '../../shared/protocol/sync.ts';
import { ApiError } from '../errors.ts';
import type { AccessEventPort } from '../events/eventPort.ts';
import { newRandomId } from '../ids.ts';
import { mediaAccessFor, type MediaStateHolder } from '../livekit/mediaState.ts';
import type { LiveRooms } from '../livekit/liveRooms.ts';
import type { MeetingRecord } from '../store/meetingStore.ts';
import type { Stores, TransactionalStores } from '../store/stores.ts';
import type { SyncTicketClaims } from '../sync/tickets.ts';
import type { Access } from './access.ts';
import { requireMemberJoinWindow } from './joinWindow.ts';
import type { MediaKeys } from './mediaKeys.ts';
import { comingTeam } from './meetingTeam.ts';
import { timeZoneOf } from './networkTimeZone.ts';
import type { NotesHistoryService } from '../record/notesHistory.ts';
import { auditActor, ticketSubject, ticketSubjectOf, type Actor, type Principal } from './principal.ts';

/** How long a sync ticket stays valid. The provider reuses it on every reconnect, so it spans a long meeting. */
const SYNC_TICKET_TTL_MS = 12 * 60 * 60 * 1000;
/** The length of a meeting made before scheduling existed (as the calendar assumes). */
const DEFAULT_DURATION_MINUTES = 60;

export interface MeetingServiceDeps {
  stores: Stores;
  access: Access;
  media: MediaStateHolder;
  rooms: LiveRooms;
  /** Each meeting's end-to-end media key, given only with a join or to someone who still may join. */
  mediaKeys: Pick<MediaKeys, 'current'>;
  signTicket: (claims: SyncTicketClaims) => string;
  now: () => Date;
  /** Told once a meeting has ended: its document is sealed and its video room closed (server/events). */
  events: Pick<AccessEventPort, 'publish'>;
  /** Freezes the record of a meeting just ended (see sealRecord in records.ts). */
  sealRecord: (meeting: MeetingRecord) => Promise<void>;
  /** Keeps the notes as sealed among their versions (server/record/notesHistory.ts). */
  notesHistory?: Pick<NotesHistoryService, 'keepSealed'>;
}

/** Meetings of a network: schedule, read, join (video token + shared-space tickets), end. */
export function createMeetingService(deps: MeetingServiceDeps) {
  const { stores, access, now } = deps;
  const requireMeeting = async (id: string): Promise<MeetingRecord> => {
    const meeting = await stores.meetings.get(id);
    if (!meeting) throw new ApiError('not_found', 'This meeting does not exist. Please check the link with whoever sent it.');
    return meeting;
  };
  const ticket = (docName: string, subject: string, session: string | undefined): SyncAccess => ({
    path: SYNC_PATH,
    docName,
    ticket: deps.signTicket({ docName, mode: 'read-write', subject, expiresAt: now().getTime() + SYNC_TICKET_TTL_MS, session }),
  });

  /** When the meeting is, with its length and the network's zone (the waiting screen says it). */
  const whenOf = async (meeting: MeetingRecord): Promise<MeetingWhen> => {
    const network = await stores.networks.byId(meeting.networkId);
    if (!network) throw new ApiError('not_found', 'This network no longer exists.');
    const schedule = (await stores.records.schedules([meeting.id])).get(meeting.id);
    return { scheduledAt: meeting.scheduledAt, durationMinutes: schedule?.durationMinutes ?? DEFAULT_DURATION_MINUTES, timeZone: timeZoneOf(network) };
  };

  /** Whom the meeting is about; `memberId` is the member joining, told when they are that person. */
  const aboutOf = async (networkId: string, memberId: string | undefined): Promise<MeetingAbout> => {
    const network = await stores.networks.byId(networkId);
    if (!network) throw new ApiError('not_found', 'This network no longer exists.');
    return { name: network.personName, isYou: memberId !== undefined && network.personMemberId === memberId };
  };

  /** Makes a meeting inside the caller's unit of work; `actor` has been checked as on the network's team. */
  const createIn = async (tx: TransactionalStores, actor: Actor, networkId: string, request: CreateMeetingRequest): Promise<Meeting> => {
    if (!(await tx.networks.byId(networkId))) throw new ApiError('not_found', 'There is no such network.');
    const meeting: MeetingRecord = {
      id: newRandomId(),
      networkId,
      title: request.title ?? 'Network meeting',
      scheduledAt: new Date(request.scheduledAt).toISOString(),
      status: 'scheduled',
      createdAt: now().toISOString(),
      endedAt: undefined,
    };
    await tx.meetings.create(meeting);
    await tx.audit.record({ at: meeting.createdAt, ...auditActor(actor), action: 'meeting_created', networkId, meetingId: meeting.id });
    return toMeeting(meeting);
  };

  /** Who may be in the meeting (its video included) now: their role, or a refusal with a plain reason. */
  const requireMayJoin = async (principal: Principal, meeting: MeetingRecord, timeZone: string | undefined): Promise<ParticipantRole> => {
    await access.requireNetwork(principal, meeting.networkId);
    if (principal.kind === 'anonymous' || principal.kind === 'system') throw new ApiError('forbidden', 'Only people in the network can join its meetings.');
    if (meeting.status === 'ended') throw new ApiError('conflict', 'This meeting has ended. The notes can still be read.');
    const role = roleOf(principal);
    if (!isTeamRole(role)) await requireMemberJoinWindow(stores, meeting, now(), timeZone);
    return role;
  };

  return {
    createIn,

    async create(principal: Principal, networkId: string, request: CreateMeetingRequest): Promise<Meeting> {
      const actor = await access.requireTeam(principal, networkId);
      return stores.unitOfWork((tx) => createIn(tx, actor, networkId, request));
    },

    /** A meeting, when it is and who from the team will come: what a screen needs before anyone joins. */
    async get(principal: Principal, id: string): Promise<GetMeetingResponse> {
      const meeting = await requireMeeting(id);
      await access.requireNetwork(principal, meeting.networkId);
      return { meeting: toMeeting(meeting), when: await whenOf(meeting), team: await comingTeam(stores, meeting.networkId, meeting.id) };
    },

    /** `timeZone` (IANA, from the browser) only words the answer to a member who comes too early or late. */
    async join(principal: Principal, id: string, displayName: string, timeZone?: string): Promise<JoinMeetingResponse> {
      const meeting = await requireMeeting(id);
      const role = await requireMayJoin(principal, meeting, timeZone);
      // Refused already by requireMayJoin; said again so that the type narrows here.
      if (principal.kind === 'anonymous' || principal.kind === 'system') throw new ApiError('forbidden', 'Only people in the network can join its meetings.');
      const identity = participantIdentityOf(principal.kind === 'user' ? { kind: 'user', id: principal.user.id } : { kind: 'member', id: principal.member.id });
      const metadata: ParticipantMetadata = { role };
      // The one place a room comes into being (LiveKit does not auto-create): only for a meeting not ended.
      if (deps.media.get().status === 'available') await deps.rooms.ensure(roomNameFor(meeting.id));
      const media = await mediaAccessFor(deps.media.get(), {
        roomName: roomNameFor(meeting.id),
        identity,
        displayName,
        metadata: JSON.stringify(metadata),
      }, () => deps.mediaKeys.current(meeting.id));
      const when = await whenOf(meeting);
      // Only the team opens a meeting, and only near its time: a member never makes it live, and neither does a
      // team member who looks in a day early (live lets members in at any time and stops rescheduling).
      const opens = meeting.status === 'scheduled' && isTeamRole(role) && now() >= memberJoinWindow(when.scheduledAt, when.durationMinutes).opensAt;
      await stores.unitOfWork(async (tx) => {
        if (opens) await tx.meetings.setStatus(meeting.id, 'live', now().toISOString());
        await tx.audit.record({ at: now().toISOString(), actorKind: principal.kind, actorId: principal.kind === 'user' ? principal.user.id : principal.member.id, action: 'meeting_joined', networkId: meeting.networkId, meetingId: meeting.id });
      });
      const subject = ticketSubjectOf(principal);
      // A team member's sockets end with the login session they came from (logout, reset, ended by an admin).
      const session = principal.kind === 'user' ? principal.sessionId : undefined;
      return {
        participantId: identity,
        displayName,
        role,
        media,
        sync: ticket(meetingDocName(meeting.id), subject, session),
        networkSync: ticket(networkDocName(meeting.networkId), subject, session),
        team: await comingTeam(stores, meeting.networkId, meeting.id),
        when,
        about: await aboutOf(meeting.networkId, principal.kind === 'member' ? principal.member.id : undefined),
      };
    },

    /**
     * The meeting's current media key, for someone who may join it now (asked again when the key changes).
     * The same checks as joining: whoever lost access, or comes with a forged or expired credential, or asks
     * for an ended meeting, is refused. Keys of other meetings are never reachable: only this meeting's.
     */
    async mediaKey(principal: Principal, id: string): Promise<MediaKeyResponse> {
      const meeting = await requireMeeting(id);
      await requireMayJoin(principal, meeting, undefined);
      return { mediaKey: await deps.mediaKeys.current(meeting.id) };
    },

    /** Ends the meeting for everyone: the video room is closed and every participant leaves. */
    async end(principal: Principal, id: string): Promise<Meeting> {
      const meeting = await requireMeeting(id);
      const actor = await access.requireTeam(principal, meeting.networkId);
      // Ending twice changes nothing: the first end time stays, so the record's duration stays true.
      if (meeting.status === 'ended') return toMeeting(meeting);
      const at = now().toISOString();
      // From this commit on the store refuses every write to the meeting's document, in any process.
      await stores.unitOfWork(async (tx) => {
        await tx.meetings.setStatus(meeting.id, 'ended', at);
        await tx.audit.record({ at, ...auditActor(actor), action: 'meeting_ended', networkId: meeting.networkId, meetingId: meeting.id });
      });
      // As stored: another process may have ended it a moment earlier (its end time stays).
      const ended = await requireMeeting(meeting.id);
      // After the commit, not in it: the record is read from the documents, which are sealed only from the
      // commit on (and are written on a connection of their own). A freeze that fails is made at first read.
      await deps.sealRecord(ended);
      await deps.events.publish({ kind: 'meeting_ended', meetingId: meeting.id, networkId: meeting.networkId });
      await deps.notesHistory?.keepSealed(meeting.id, actor.userId === undefined ? undefined : ticketSubject({ kind: 'user', id: actor.userId }));
      return toMeeting(ended);
    },
  };
}

export type MeetingService = ReturnType<typeof createMeetingService>;

function roleOf(principal: Extract<Principal, { kind: 'user' | 'member' }>): ParticipantRole {
  if (principal.kind === 'user') return principal.user.role;
  return principal.member.isInterpreter ? 'interpreter' : 'network_member';
}

export function toMeeting(m: MeetingRecord): Meeting {
  return { id: m.id, networkId: m.networkId, title: m.title, scheduledAt: m.scheduledAt, status: m.status, createdAt: m.createdAt };
}
