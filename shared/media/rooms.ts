import { z } from 'zod';

/** The LiveKit room of a meeting. One room per meeting; the name carries no personal data. */
export function roomNameFor(meetingId: string): string {
  return `meeting-${meetingId}`;
}

/** The shared-space document of a meeting. */
export function meetingDocName(meetingId: string): string {
  return `meeting-${meetingId}`;
}

/** Metadata attached to each LiveKit participant by the server when it mints the token. */
export const ParticipantMetadata = z.object({
  /** Reserved for roles (team member, network member, interpreter) once accounts exist. */
  role: z.enum(['guest']),
});
export type ParticipantMetadata = z.infer<typeof ParticipantMetadata>;
