import { createHash } from 'node:crypto';
import { Hono } from 'hono';
import { WebhookReceiver } from 'livekit-server-sdk';
import { ApiError } from '../errors.ts';
import type { MediaStateHolder } from '../livekit/mediaState.ts';
import type { MediaGate } from '../services/mediaGate.ts';
import { recordParticipantEvent } from '../services/videoAttendance.ts';
import type { Stores } from '../store/stores.ts';
import type { AppEnv } from './env.ts';

/**
 * `POST /api/livekit/webhook`: LiveKit tells us who joined and left a room; we keep it as attendance (see
 * services/videoAttendance.ts). The body must be signed with the current API key (a JWT carrying the body's
 * hash); anything else changes nothing.
 */
export function livekitWebhookRoutes(media: MediaStateHolder, stores: Pick<Stores, 'meetings' | 'unitOfWork'>, gate: MediaGate): Hono<AppEnv> {
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
      await recordParticipantEvent(
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
    }
    return c.json({ ok: true });
  });
}
