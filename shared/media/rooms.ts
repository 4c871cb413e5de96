import { z } from 'zod';
import { ParticipantRole } from '../api/roles.ts';

/** The LiveKit room of a meeting. One room per meeting; the name carries no personal data. */
export function roomNameFor(meetingId: string): string {
  return `meeting-${meetingId}`;
}

/** The shared-space document of a meeting. */
export function meetingDocName(meetingId: string): string {
  return `meeting-${meetingId}`;
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
