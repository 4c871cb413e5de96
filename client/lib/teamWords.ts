import { ROLE_LABELS, type ParticipantRole } from '../../shared/api/roles.ts';
import { waitingForWhom } from '../../shared/api/waitingForWhom.ts';

/** "Pat Jones (practitioner) and Kim Lee (peer worker)": the team members coming, by name and what they do. */
export function teamInWords(team: readonly { name: string; role: ParticipantRole }[]): string {
  return waitingForWhom(team.map((t) => `${t.name} (${ROLE_LABELS[t.role]})`));
}
