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

/** Webhook claims are kept this long: LiveKit gives up retrying one within minutes. */
const DELIVERY_KEEP_MS = 24 * 60 * 60_000;

/**
 * Keeps a verified participant event: in the attendance table (once per event id, and only while the meeting
 * had not ended), and in the audit log, which stays the history of who joined, rejoins after the end included.
 * A retried webhook, or the same webhook delivered to another instance, writes neither a second time: its
 * id is claimed in the store (webhook_deliveries) in the same transaction. Resolves to `new` only for the
 * first delivery of an event of a known meeting, so that the caller acts on it once too.
 */
export async function recordParticipantEvent(
  stores: Pick<Stores, 'meetings' | 'unitOfWork'>,
  event: ParticipantEvent,
  receivedAt: string,
): Promise<'new' | 'duplicate' | 'unknown_meeting'> {
  const meetingId = meetingIdOfRoom(event.roomName);
  const meeting = meetingId === undefined ? undefined : await stores.meetings.get(meetingId);
  if (!meeting) return 'unknown_meeting';
  const dropUpTo = new Date(Date.parse(receivedAt) - DELIVERY_KEEP_MS).toISOString();
  // Together, so that a retry after a failure finds neither and writes both, never an attendance without its entry.
  return stores.unitOfWork(async (tx) => {
    if (!(await tx.webhookDeliveries.claim(event.eventId, receivedAt, dropUpTo))) return 'duplicate';
    if (parseParticipantIdentity(event.identity)) {
      const outcome = await tx.attendance.add({ eventId: event.eventId, meetingId: meeting.id, identity: event.identity, kind: event.kind, at: event.at }, receivedAt);
      // Recorded before this table existed (an upgrade while LiveKit retried): already acted on.
      if (outcome === 'duplicate') return 'duplicate';
    }
    await tx.audit.record({
      at: event.at,
      actorKind: 'livekit',
      actorId: event.identity,
      action: event.kind === 'joined' ? 'participant_joined' : 'participant_left',
      networkId: meeting.networkId,
      meetingId: meeting.id,
    });
    return 'new';
  });
}
