import { Hono } from 'hono';
import { WebhookReceiver } from 'livekit-server-sdk';
import { ApiError } from '../errors.ts';
import type { MediaStateHolder } from '../livekit/mediaState.ts';
import type { MediaGate } from '../services/mediaGate.ts';
import type { Stores } from '../store/stores.ts';
import type { AppEnv } from './env.ts';

const ROOM_PREFIX = 'meeting-';

/**
 * `POST /api/livekit/webhook`: LiveKit tells us who joined and left a room; we record attendance in the
 * audit log. The body must be signed with the current API key (a JWT carrying the body's hash).
 */
export function livekitWebhookRoutes(media: MediaStateHolder, stores: Pick<Stores, 'meetings' | 'audit'>, gate: MediaGate): Hono<AppEnv> {
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
    if (action && roomName.startsWith(ROOM_PREFIX) && event.participant) {
      const meeting = await stores.meetings.get(roomName.slice(ROOM_PREFIX.length));
      if (meeting) {
        await stores.audit.record({
          at: new Date(Number(event.createdAt) * 1000 || Date.now()).toISOString(),
          actorKind: 'livekit',
          actorId: event.participant.identity,
          action,
          networkId: meeting.networkId,
          meetingId: meeting.id,
        });
      }
    }
    return c.json({ ok: true });
  });
}
