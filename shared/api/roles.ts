import { z } from 'zod';

/**
 * Who someone is in a meeting. Team members (practitioners and peer workers) have the same standing;
 * everyone else came through an invite to the network. An interpreter is a network member labelled as such.
 */
export const PARTICIPANT_ROLES = ['practitioner', 'peer_worker', 'network_member', 'interpreter'] as const;
export const ParticipantRole = z.enum(PARTICIPANT_ROLES);
export type ParticipantRole = z.infer<typeof ParticipantRole>;

/** Team members may start and end reflecting and end a meeting; nobody may see more than anyone else. */
export function isTeamRole(role: ParticipantRole): boolean {
  return role === 'practitioner' || role === 'peer_worker';
}

/** Plain words for a role, as shown beside a name. */
export const ROLE_LABELS: Record<ParticipantRole, string> = {
  practitioner: 'practitioner',
  peer_worker: 'peer worker',
  network_member: 'network',
  interpreter: 'interpreter',
};
