import type { ParticipantRole } from '../../shared/api/roles.ts';
import type { Attendee } from '../../shared/api/records.ts';
import { parseParticipantIdentity, participantIdentityOf } from '../../shared/media/rooms.ts';
import type { MeetingRecord as StoredMeeting } from '../store/meetingStore.ts';
import type { Stores } from '../store/stores.ts';
import { firstTogether, presenceOf, spanOf, type Interval, type PresenceEvent } from './attendanceIntervals.ts';

/** Shared-space joins read per meeting when it had no video; far more than any meeting has. */
const AUDIT_SCAN_LIMIT = 100_000;

type AttendanceStores = Pick<Stores, 'attendance' | 'audit' | 'users' | 'members'>;

/** Who was in a meeting when, and who is in it still (no leave known yet). */
interface Presence {
  stays: Map<string, Interval[]>;
  stillIn: Set<string>;
  /** False when only shared-space joins are known: then nobody's leaving, nor their minutes, is known. */
  fromVideo: boolean;
}

/**
 * Who attended, with first join, last leave and minutes present: from the attendance table (LiveKit's
 * webhooks) when video was used, else from the shared-space joins in the audit log (no leaves are known
 * there). Names are those the store knows for the account or the member, never a name typed at joining.
 */
export async function attendeesOf(stores: AttendanceStores, meeting: StoredMeeting, now: Date): Promise<{ attendees: Attendee[]; startedAt: string | undefined }> {
  const { stays, stillIn, fromVideo } = await presenceIn(stores, meeting, now);
  const attendees: Attendee[] = [];
  for (const [identity, intervals] of stays) {
    const who = parseParticipantIdentity(identity);
    const named = who && (await nameOf(stores, who.kind, who.id));
    const span = spanOf(intervals, stillIn.has(identity));
    if (!named || !span) continue;
    attendees.push({
      ...named,
      firstJoinedAt: span.firstJoinedAt,
      ...(span.lastLeftAt ? { lastLeftAt: span.lastLeftAt } : {}),
      ...(fromVideo ? { totalMinutes: span.totalMinutes, stays: staysOf(intervals, stillIn.has(identity)) } : {}),
    });
  }
  attendees.sort((a, b) => a.firstJoinedAt.localeCompare(b.firstJoinedAt) || a.name.localeCompare(b.name));
  return { attendees, startedAt: attendees[0]?.firstJoinedAt };
}

/**
 * When the meeting was first "held": a team member and a network member (not an interpreter) in it together.
 * Undefined while that has not happened.
 */
export async function heldAtOf(stores: AttendanceStores, meeting: StoredMeeting, now: Date): Promise<string | undefined> {
  const { stays } = await presenceIn(stores, meeting, now);
  const team: Interval[] = [];
  const network: Interval[] = [];
  for (const [identity, intervals] of stays) {
    const who = parseParticipantIdentity(identity);
    if (who?.kind === 'user') team.push(...intervals);
    if (who?.kind === 'member' && (await stores.members.byId(who.id))?.isInterpreter === false) network.push(...intervals);
  }
  const at = firstTogether(team, network);
  return at === undefined ? undefined : new Date(at).toISOString();
}

/** The first time any of a network's meetings was held (see {@link heldAtOf}). */
export async function firstHeldAtOf(stores: AttendanceStores, meetings: readonly StoredMeeting[], now: Date): Promise<string | undefined> {
  let first: string | undefined;
  for (const meeting of meetings) {
    const at = await heldAtOf(stores, meeting, now);
    if (at !== undefined && (first === undefined || at < first)) first = at;
  }
  return first;
}

/** Each stay as join and leave times; the last has no leave while the person is still in. */
function staysOf(intervals: readonly Interval[], stillIn: boolean): { joinedAt: string; leftAt?: string }[] {
  return intervals.map((i, index) => {
    const open = stillIn && index === intervals.length - 1;
    return { joinedAt: new Date(i.from).toISOString(), ...(open ? {} : { leftAt: new Date(i.to).toISOString() }) };
  });
}

async function presenceIn(stores: AttendanceStores, meeting: StoredMeeting, now: Date): Promise<Presence> {
  const ended = meeting.status === 'ended' && meeting.endedAt !== undefined;
  const until = ended && meeting.endedAt ? meeting.endedAt : now.toISOString();
  const video = await stores.attendance.forMeeting(meeting.id);
  const events: PresenceEvent[] = video.length > 0 ? video : await sharedSpaceJoins(stores, meeting);
  const stays = presenceOf(events, until);
  const last = new Map(events.map((e) => [e.identity, e.kind]));
  // Shared-space joins know no leaves: nobody is given a last leave from them.
  const stillIn = new Set([...stays.keys()].filter((identity) => video.length === 0 || (!ended && last.get(identity) === 'joined')));
  return { stays, stillIn, fromVideo: video.length > 0 };
}

async function sharedSpaceJoins(stores: AttendanceStores, meeting: StoredMeeting): Promise<PresenceEvent[]> {
  const entries = await stores.audit.list({ networkId: meeting.networkId, limit: AUDIT_SCAN_LIMIT });
  const joins: PresenceEvent[] = [];
  for (const e of entries.reverse()) {
    if (e.meetingId !== meeting.id || e.action !== 'meeting_joined' || !e.actorId) continue;
    if (e.actorKind !== 'user' && e.actorKind !== 'member') continue;
    joins.push({ identity: participantIdentityOf({ kind: e.actorKind, id: e.actorId }), kind: 'joined', at: e.at });
  }
  return joins;
}

/**
 * Names of everyone in the meeting at `at`, as the store knows them, in the order they joined; empty when
 * no presence is known then. From the attendance the server recorded, never from a list a client wrote.
 */
export async function presentAt(stores: AttendanceStores, meeting: StoredMeeting, at: string, now: Date): Promise<string[]> {
  const { stays } = await presenceIn(stores, meeting, now);
  const moment = Date.parse(at);
  const there = [...stays].filter(([, intervals]) => intervals.some((interval) => interval.from <= moment && moment <= interval.to));
  there.sort(([, a], [, b]) => (a[0]?.from ?? 0) - (b[0]?.from ?? 0));
  const names = new Set<string>();
  for (const [identity] of there) {
    const named = await participantName(stores, identity);
    if (named) names.add(named.name);
  }
  return [...names];
}

/** The name and role the store knows for a participant id (`user-<id>`, `member-<id>`). */
export async function participantName(stores: Pick<Stores, 'users' | 'members'>, participantId: string): Promise<{ name: string; role: ParticipantRole } | undefined> {
  const who = parseParticipantIdentity(participantId);
  return who && nameOf(stores, who.kind, who.id);
}

async function nameOf(stores: Pick<Stores, 'users' | 'members'>, kind: 'user' | 'member', id: string): Promise<{ name: string; role: ParticipantRole } | undefined> {
  if (kind === 'user') {
    const user = await stores.users.byId(id);
    return user && { name: user.name, role: user.role };
  }
  const member = await stores.members.byId(id);
  return member && { name: member.name, role: member.isInterpreter ? 'interpreter' : 'network_member' };
}
