import { meetingIdOfRoom, parseParticipantIdentity } from '../../shared/media/rooms.ts';
import type { Stores } from '../store/stores.ts';

/** A participant event from a verified LiveKit webhook. */
export interface ParticipantEvent {
  /** LiveKit's event id; the same on each retry of one webhook. */
  eventId: string;
  roomName: string;
  identity: string;
  kind: 'joined' | 'left';
  /** LiveKit's time stamp. */
  at: string;
}

/**
 * Keeps a verified participant event: in the attendance table (once per event id, and only while the meeting
 * had not ended), and in the audit log, which stays the history of who joined, rejoins after the end included.
 * A retried webhook writes neither a second time.
 */
export async function recordParticipantEvent(stores: Pick<Stores, 'meetings' | 'unitOfWork'>, event: ParticipantEvent, receivedAt: string): Promise<void> {
  const meetingId = meetingIdOfRoom(event.roomName);
  const meeting = meetingId === undefined ? undefined : await stores.meetings.get(meetingId);
  if (!meeting) return;
  // Together, so that a retry after a failure finds neither and writes both, never an attendance without its entry.
  await stores.unitOfWork(async (tx) => {
    if (parseParticipantIdentity(event.identity)) {
      const outcome = await tx.attendance.add({ eventId: event.eventId, meetingId: meeting.id, identity: event.identity, kind: event.kind, at: event.at }, receivedAt);
      if (outcome === 'duplicate') return;
    }
    await tx.audit.record({
      at: event.at,
      actorKind: 'livekit',
      actorId: event.identity,
      action: event.kind === 'joined' ? 'participant_joined' : 'participant_left',
      networkId: meeting.networkId,
      meetingId: meeting.id,
    });
  });
}
