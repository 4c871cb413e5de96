import type * as Y from 'yjs';
import { isTeamRole } from '../api/roles.ts';
import { Author, LOCAL_ORIGIN } from './entries.ts';
import { getParticipants } from './schema.ts';

/**
 * Notes that this person has joined the meeting, under the name they gave. Each client writes only its own
 * entry, once per join (a rejoin under another name updates it). Used to name the authors of the notes and,
 * before a team member is back, whom the network is waiting for.
 */
export function recordParticipant(doc: Y.Doc, who: Author): void {
  const participants = getParticipants(doc);
  const current = Author.safeParse(participants.get(who.id));
  if (current.success && current.data.name === who.name && current.data.role === who.role) return;
  doc.transact(() => participants.set(who.id, { ...who } satisfies Author), LOCAL_ORIGIN);
}

/** Everyone who has joined, by participant id. Malformed entries are skipped. */
export function readParticipants(doc: Y.Doc): Map<string, Author> {
  const byId = new Map<string, Author>();
  for (const [id, value] of getParticipants(doc).entries()) {
    const parsed = Author.safeParse(value);
    if (parsed.success && parsed.data.id === id) byId.set(id, parsed.data);
  }
  return byId;
}

/**
 * Names of the team members who have been in this meeting, sorted, each once (one person may have joined
 * from two devices). Empty before any has joined: then the network is waiting for "the team".
 */
export function teamNamesSeen(doc: Y.Doc): string[] {
  const names = new Set<string>();
  for (const who of readParticipants(doc).values()) if (isTeamRole(who.role)) names.add(who.name);
  return [...names].sort((a, b) => a.localeCompare(b));
}
