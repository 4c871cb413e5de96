import { createContext, useContext } from 'solid-js';
import type * as Y from 'yjs';
import type { MeetingAbout } from '../../shared/api/meetingAbout.ts';
import type { MeetingWhen } from '../../shared/api/meetings.ts';
import type { ParticipantRole } from '../../shared/api/roles.ts';
import type { Author } from '../../shared/doc/entries.ts';
import type { MeetingMention } from '../../shared/doc/questions.ts';
import type { Credentials } from '../lib/api.ts';
import type { SharedDoc } from './doc/createSharedDoc.ts';

/** What every part of the meeting room needs: the shared documents, who I am, and who is here. */
export interface MeetingContextValue {
  /** This meeting's document: notes, reflections, phase, voices, hands, chat. */
  meetingDoc: SharedDoc;
  /** The network's document, kept across meetings: the network map and open questions. */
  networkDoc: SharedDoc;
  /** Who wrote which passage of the notes (see shared/doc/noteAuthorship.ts). */
  authorship: Y.PermanentUserData;
  me: Author;
  /** This meeting, as open questions record it; `at` is the time of asking. */
  mention: () => MeetingMention;
  /** Everyone present in the shared space or on video, by name. */
  present: () => Author[];
  /** The team members who will come, as the server knows them at joining (names and roles). */
  team: readonly { name: string; role: ParticipantRole }[];
  /** When the meeting is (start, length, the network's zone): the waiting screen says it. */
  when: MeetingWhen;
  /** Whom the meeting is about: their name at the centre of the map, and on the waiting screen. */
  about: MeetingAbout;
  /** This meeting's id and how API calls prove who is asking (for the notes' history). */
  api: { meetingId: string; credentials: Credentials };
}

export const MeetingContext = createContext<MeetingContextValue>();

/** The meeting room's context; only valid inside `MeetingRoom`. */
export function useMeeting(): MeetingContextValue {
  const value = useContext(MeetingContext);
  if (!value) throw new Error('useMeeting() outside MeetingRoom');
  return value;
}
