import { SYNC_CLOSE_REASON } from '../../../shared/protocol/sync.ts';
import type { AccessLostReason } from '../doc/createSharedDoc.ts';

const EXPLANATION: Record<AccessLostReason, string> = {
  [SYNC_CLOSE_REASON.accessRevoked]: 'The team has withdrawn your access to this meeting. If you think this is a mistake, please contact them.',
  [SYNC_CLOSE_REASON.accessExpired]: 'Your invite link has run out. Please ask the team for a new link to join again.',
  [SYNC_CLOSE_REASON.networkDeleted]: 'This network and its meetings have been closed and deleted.',
};

/**
 * What someone sees whose access ended during the meeting. Nothing of the meeting is shown: sound, video
 * and the notes have stopped for them, and the notes kept on this device have been removed.
 */
export function AccessEnded(props: { reason: AccessLostReason }) {
  return (
    <main class="page narrow meeting-ended">
      <h1>You are no longer in this meeting</h1>
      <p class="lead" role="status">
        {EXPLANATION[props.reason]}
      </p>
      <p>Sound and video have stopped, and the shared notes are no longer shown on this device.</p>
    </main>
  );
}
