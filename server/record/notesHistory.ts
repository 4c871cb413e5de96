import type { LastWrittenNotesResponse, ListNotesVersionsQuery, ListNotesVersionsResponse, NotesVersionResponse, NotesVersionSummary, VersionAuthor } from '../../shared/api/notesHistory.ts';
import { readNotesContent } from '../../shared/doc/notesContent.ts';
import { getNotes } from '../../shared/doc/schema.ts';
import { meetingDocName } from '../../shared/media/rooms.ts';
import { ApiError } from '../errors.ts';
import { newRandomId } from '../ids.ts';
import type { Access } from '../services/access.ts';
import { parseTicketSubject, type Principal } from '../services/principal.ts';
import { readStoredDoc } from '../services/recordDocuments.ts';
import type { MeetingRecord } from '../store/meetingStore.ts';
import type { NotesVersionRecord } from '../store/notesVersionStore.ts';
import type { Stores } from '../store/stores.ts';
import { decodeNotes, encodeNotes } from './notesVersionCodec.ts';

export interface NotesHistoryDeps {
  stores: Stores;
  access: Access;
  now: () => Date;
}

/**
 * The history of a meeting's notes, for anyone in the meeting's network: its versions (paged, newest first),
 * one version's notes, the check before a restore, and the notes as last written before they were emptied.
 * A restore itself is an edit made by the restoring person's client, which the server then keeps as a new
 * version (see notesHistoryRecorder.ts): nothing here changes or removes a version.
 */
export function createNotesHistoryService(deps: NotesHistoryDeps) {
  const { stores, access } = deps;
  const versions = stores.notesVersions;

  const requireMeeting = async (principal: Principal, meetingId: string): Promise<MeetingRecord> => {
    const meeting = await stores.meetings.get(meetingId);
    if (!meeting) throw new ApiError('not_found', 'This meeting does not exist.');
    await access.requireNetwork(principal, meeting.networkId);
    return meeting;
  };
  const requireVersion = async (meetingId: string, versionId: string): Promise<NotesVersionRecord> => {
    const version = await versions.byId(versionId);
    if (!version) throw new ApiError('not_found', 'There is no such version of the notes.');
    if (version.meetingId !== meetingId) throw new ApiError('bad_request', 'This version belongs to the notes of another meeting, so it cannot be used here.');
    return version;
  };

  const withContent = async (version: NotesVersionRecord, names: NameCache): Promise<NotesVersionResponse> => {
    const content = await versions.content(version.id);
    if (!content) throw new ApiError('not_found', 'There is no such version of the notes.');
    return { version: await summaryOf(version, names), notes: decodeNotes(content) };
  };

  return {
    async list(principal: Principal, meetingId: string, query: ListNotesVersionsQuery): Promise<ListNotesVersionsResponse> {
      await requireMeeting(principal, meetingId);
      const page = await versions.page(meetingId, query.before ?? Number.MAX_SAFE_INTEGER, query.limit + 1);
      const shown = page.slice(0, query.limit);
      const names = nameCache(stores);
      const last = shown.at(-1);
      return {
        versions: await Promise.all(shown.map((v) => summaryOf(v, names))),
        total: await versions.count(meetingId),
        nextBefore: page.length > query.limit && last ? last.seq : null,
      };
    },

    async get(principal: Principal, meetingId: string, versionId: string): Promise<NotesVersionResponse> {
      await requireMeeting(principal, meetingId);
      return withContent(await requireVersion(meetingId, versionId), nameCache(stores));
    },

    /** What a client writes back to restore a version; refused for a sealed meeting or another meeting's version. */
    async restore(principal: Principal, meetingId: string, versionId: string): Promise<NotesVersionResponse> {
      const meeting = await requireMeeting(principal, meetingId);
      const version = await requireVersion(meetingId, versionId);
      if (meeting.status === 'ended') throw new ApiError('conflict', 'This meeting has ended and its notes are sealed, so nothing can be restored into them. The notes can still be read.');
      return withContent(version, nameCache(stores));
    },

    async lastWritten(principal: Principal, meetingId: string): Promise<LastWrittenNotesResponse> {
      await requireMeeting(principal, meetingId);
      const found = await versions.lastWritten(meetingId);
      if (!found) return { version: null, emptiedBy: null };
      const names = nameCache(stores);
      const emptiedBy = found.next ? await Promise.all(found.next.authors.map((a) => names(a))) : null;
      return { version: await summaryOf(found.written, names), emptiedBy };
    },

    /**
     * Keeps the notes as the store holds them at sealing (called once the meeting is marked ended, so that no
     * other version can follow). `endedBy`: the ticket subject of whoever ended it, if a person did.
     */
    async keepSealed(meetingId: string, endedBy: string | undefined): Promise<void> {
      const notes = await readStoredDoc(stores.docs, meetingDocName(meetingId), (doc) => encodeNotes(readNotesContent(getNotes(doc))));
      await versions.add({ id: newRandomId(), meetingId, kind: 'sealed', createdAt: deps.now().toISOString(), authors: endedBy ? [endedBy] : [], ...notes, relatedId: undefined, removedWords: undefined });
    },
  };
}

export type NotesHistoryService = ReturnType<typeof createNotesHistoryService>;

type NameCache = (subject: string) => Promise<VersionAuthor>;

/** Names the server holds for ticket subjects, looked up once per request. */
function nameCache(stores: Stores): NameCache {
  const known = new Map<string, Promise<VersionAuthor>>();
  const lookup = async (subject: string): Promise<VersionAuthor> => {
    const parsed = parseTicketSubject(subject);
    if (parsed?.kind === 'user') return { name: (await stores.users.byId(parsed.id))?.name ?? 'A former team member' };
    const invite = parsed ? await stores.invites.byId(parsed.id) : undefined;
    const member = invite ? await stores.members.byId(invite.memberId) : undefined;
    return { name: member?.name ?? 'Someone no longer in the network' };
  };
  return (subject) => {
    let name = known.get(subject);
    if (!name) known.set(subject, (name = lookup(subject)));
    return name;
  };
}

async function summaryOf(v: NotesVersionRecord, names: NameCache): Promise<NotesVersionSummary> {
  return {
    id: v.id,
    seq: v.seq,
    kind: v.kind,
    createdAt: v.createdAt,
    authors: await Promise.all(v.authors.map((a) => names(a))),
    words: v.words,
    relatedId: v.relatedId ?? null,
    removedWords: v.removedWords ?? null,
  };
}
