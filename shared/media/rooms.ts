import { z } from 'zod';
import { ParticipantRole } from '../api/roles.ts';

/** The LiveKit room of a meeting. One room per meeting; the name carries no personal data. */
export function roomNameFor(meetingId: string): string {
  return `meeting-${meetingId}`;
}

/** The meeting a LiveKit room belongs to; undefined for a room name that is not a meeting's. */
export function meetingIdOfRoom(roomName: string): string | undefined {
  return /^meeting-([A-Za-z0-9_-]{22})$/.exec(roomName)?.[1];
}

/** Who a LiveKit participant is: a team account or a network member (never a name). */
export type ParticipantIdentity = { kind: 'user' | 'member'; id: string };

/** `user-<id>` or `member-<id>`: the identity in LiveKit tokens and the meeting's participant id. */
export function participantIdentityOf(who: ParticipantIdentity): string {
  return `${who.kind}-${who.id}`;
}

/** The inverse of {@link participantIdentityOf}; undefined for any other string. */
export function parseParticipantIdentity(identity: string): ParticipantIdentity | undefined {
  const match = /^(user|member)-([A-Za-z0-9_-]{22})$/.exec(identity);
  return match?.[1] && match[2] ? { kind: match[1] === 'user' ? 'user' : 'member', id: match[2] } : undefined;
}

/** The shared-space document of a meeting. */
export function meetingDocName(meetingId: string): string {
  return `meeting-${meetingId}`;
}

/** The meeting whose shared-space document this is (the inverse of {@link meetingDocName}); else undefined. */
export function meetingIdOfDoc(docName: string): string | undefined {
  return /^meeting-([A-Za-z0-9_-]{22})$/.exec(docName)?.[1];
}

/** The network-level document: the network map and the open questions carried across meetings. */
export function networkDocName(networkId: string): string {
  return `network-${networkId}`;
}

/** Metadata attached to each LiveKit participant by the server when it mints the token. */
export const ParticipantMetadata = z.object({
  /** Shown beside the name, and used to lay out the reflecting conversation. */
  role: ParticipantRole,
});
export type ParticipantMetadata = z.infer<typeof ParticipantMetadata>;
