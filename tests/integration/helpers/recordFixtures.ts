import { createHash } from 'node:crypto';
import { AccessToken } from 'livekit-server-sdk';
import { freeTcpPort } from '../../../server/livekit/freePort.ts';

/** LiveKit settings for a server whose webhooks the test signs itself (no LiveKit runs: nothing listens there). */
export const WEBHOOK_KEY = 'test-webhook-key';
export const WEBHOOK_SECRET = 'test-webhook-secret-of-at-least-32-characters';

export async function externalLiveKitEnv(): Promise<Record<string, string>> {
  return { LIVEKIT_URL: `ws://127.0.0.1:${await freeTcpPort()}`, LIVEKIT_API_KEY: WEBHOOK_KEY, LIVEKIT_API_SECRET: WEBHOOK_SECRET };
}

/**
 * The body LiveKit sends when someone joins or leaves. Its event id is deterministic (identity, event, time),
 * so sending the same arguments again is what a retry of one webhook looks like.
 */
export function participantWebhookBody(event: 'participant_joined' | 'participant_left', meetingId: string, identity: string, at: Date): string {
  return JSON.stringify({
    event,
    id: `EV_${identity}_${event}_${at.getTime()}`,
    createdAt: String(Math.floor(at.getTime() / 1000)),
    room: { name: `meeting-${meetingId}` },
    participant: { identity, sid: `PA_${identity}` },
  });
}

/** Posts a webhook body signed as LiveKit does (a JWT carrying the body's SHA-256); `secret` other than the server's forges it. */
export async function postWebhook(baseUrl: string, body: string, options: { secret?: string; signedBody?: string } = {}): Promise<Response> {
  const token = new AccessToken(WEBHOOK_KEY, options.secret ?? WEBHOOK_SECRET);
  token.sha256 = createHash('sha256').update(options.signedBody ?? body).digest('base64');
  return fetch(`${baseUrl}/api/livekit/webhook`, {
    method: 'POST',
    headers: { 'content-type': 'application/webhook+json', authorization: await token.toJwt() },
    body,
  });
}

/** Posts a participant webhook signed as the real LiveKit server would, and insists it is accepted. */
export async function sendParticipantWebhook(
  baseUrl: string,
  event: 'participant_joined' | 'participant_left',
  meetingId: string,
  identity: string,
  at: Date,
): Promise<void> {
  const res = await postWebhook(baseUrl, participantWebhookBody(event, meetingId, identity, at));
  if (!res.ok) throw new Error(`webhook answered ${res.status}: ${await res.text()}`);
}
