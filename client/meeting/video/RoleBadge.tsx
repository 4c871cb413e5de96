import { ROLE_LABELS, type ParticipantRole } from '../../../shared/api/roles.ts';

/**
 * A person's role as the server put it in their video token, shown as a badge of its own beside the
 * name: a filled, outlined pill that text typed into a name cannot draw (names are plain text on the
 * caption's dark strip, and may not contain the separators the caption uses: see shared/api/displayName.ts).
 * Screen readers hear it after the name, as " · practitioner".
 */
export function RoleBadge(props: { role: ParticipantRole }) {
  return (
    <span class="role-badge" data-role={props.role}>
      <span class="visually-hidden"> · </span>
      {ROLE_LABELS[props.role]}
    </span>
  );
}
