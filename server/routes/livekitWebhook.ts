import { createHash } from 'node:crypto';
import { Hono } from 'hono';
import { WebhookReceiver } from 'livekit-server-sdk';
import { ApiError } from '../errors.ts';
import type { MediaStateHolder } from '../livekit/mediaState.ts';
import { meetingIdOfRoom } from '../../shared/media/rooms.ts';
import type { MediaGate } from '../services/mediaGate.ts';
import type { MediaKeys } from '../services/mediaKeys.ts';
import { recordParticipantEvent } from '../services/videoAttendance.ts';
import type { Stores } from '../store/stores.ts';
import type { AppEnv } from './env.ts';

/**
 * `POST /api/livekit/webhook`: LiveKit tells us who joined and left a room; we keep it as attendance (see
 * services/videoAttendance.ts). The body must be signed with the current API key (a JWT carrying the body's
 * hash); anything else changes nothing. Someone leaving also replaces the meeting's media key (mediaKeys.ts).
 * Each event is acted on once (its id is claimed in the store), though LiveKit may deliver it again, to
 * this instance or another; the access checks (media gate) are repeated, as they change nothing twice.
 */
export function livekitWebhookRoutes(media: MediaStateHolder, stores: Pick<Stores, 'meetings' | 'unitOfWork'>, gate: MediaGate, keys: Pick<MediaKeys, 'rotate'>): Hono<AppEnv> {
  return new Hono<AppEnv>().post('/', async (c) => {
    const state = media.get();
    if (state.status !== 'available') throw new ApiError('not_found', 'Video is not configured.');
    const body = await c.req.text();
    let event;
    try {
      event = await new WebhookReceiver(state.apiKey, state.apiSecret).receive(body, c.req.header('authorization'));
    } catch {
      throw new ApiError('unauthorized', 'The webhook signature is not valid.');
    }
    const action = event.event === 'participant_joined' ? 'participant_joined' : event.event === 'participant_left' ? 'participant_left' : undefined;
    const roomName = event.room?.name ?? '';
    // Access first: someone whose access ended since their token was minted is taken out before anything else.
    if (event.event === 'room_started') await gate.roomStarted(roomName);
    if (event.event === 'participant_joined' && event.participant) await gate.participantJoined(roomName, event.participant.identity);
    if (action && event.participant) {
      const outcome = await recordParticipantEvent(
        stores,
        {
          // LiveKit always sends an id; were one missing, a retry still carries the same body.
          eventId: event.id || `sha256-${createHash('sha256').update(body).digest('base64url')}`,
          roomName,
          identity: event.participant.identity,
          kind: action === 'participant_joined' ? 'joined' : 'left',
          at: new Date(Number(event.createdAt) * 1000 || Date.now()).toISOString(),
        },
        new Date().toISOString(),
      );
      // Whoever left keeps the key they had: the others move on to a new one, which they can no longer ask for
      // if they left because they lost access (and are asked for it again if they come back). Once per
      // departure, whichever instance LiveKit's deliveries and retries reach.
      const meetingId = meetingIdOfRoom(roomName);
      if (action === 'participant_left' && meetingId && outcome === 'new') await keys.rotate(meetingId, 'participant_left');
    }
    return c.json({ ok: true });
  });
}
