import { afterEach, describe, expect, it } from 'vitest';
import { SESSION_COOKIE } from '../../shared/api/limits.ts';
import { JoinMeetingResponse, MediaKeyResponse, type MediaKey } from '../../shared/api/meetings.ts';
import { createMediaKeys } from '../../server/services/mediaKeys.ts';
import type { Principal } from '../../server/services/principal.ts';
import { createInProcessApp } from '../helpers/inProcessApp.ts';
import { HttpSession } from '../helpers/httpSession.ts';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const SYSTEM: Principal = { kind: 'system' };
const MINUTE = 60_000;

/**
 * The in-process app with video "available": tokens are minted for a LiveKit that is not there (making the
 * room and announcing a new key then fail quietly, as the room service's do when LiveKit is away).
 */
async function withVideo() {
  const server = await createInProcessApp({ start: new Date('2026-03-02T08:00:00Z') });
  cleanups.push(() => server.close());
  server.media.set({ status: 'available', url: 'ws://127.0.0.1:9', serverUrl: 'ws://127.0.0.1:9', apiKey: 'APItest', apiSecret: 'a-secret-long-enough-for-livekit-0123456789', localOnly: true });
  const seeded = await server.seed({ teamEmail: 'pat@team.org', meetingAt: new Date(server.clock.now().getTime() + 10 * MINUTE) });
  return { server, ...seeded, pat: await server.team('pat@team.org') };
}

async function join(session: HttpSession, meetingId: string, displayName: string) {
  const joined = JoinMeetingResponse.parse(await session.json('POST', `/api/meetings/${meetingId}/join`, { displayName }));
  if (joined.media.status !== 'available') throw new Error('video should be available in this test');
  return joined.media;
}

async function keyOf(session: HttpSession, meetingId: string): Promise<MediaKey> {
  return MediaKeyResponse.parse(await session.json('GET', `/api/meetings/${meetingId}/media-key`)).mediaKey;
}

async function errorOf(res: Response): Promise<{ status: number; code: string }> {
  const body = (await res.json()) as { error: { code: string } };
  return { status: res.status, code: body.error.code };
}

/** Everything a JWT carries, decoded: header, claims, signature bytes as text. */
function decodedJwt(token: string): string {
  return token
    .split('.')
    .map((part) => Buffer.from(part, 'base64url').toString('latin1'))
    .join('\n');
}

describe('the meeting media key (end-to-end encryption)', () => {
  it('gives everyone allowed in the same 256-bit key at join, and the same again when asked', async () => {
    const { pat, member, meetingId } = await withVideo();
    const patMedia = await join(pat, meetingId, 'Pat');
    const samMedia = await join(member, meetingId, 'Sam');
    expect(patMedia.mediaKey.index).toBe(0);
    expect(samMedia.mediaKey).toEqual(patMedia.mediaKey);
    expect(Buffer.from(patMedia.mediaKey.key, 'base64url')).toHaveLength(32);
    expect(await keyOf(member, meetingId)).toEqual(patMedia.mediaKey);
  });

  it('never puts the key in the LiveKit token, in any encoding', async () => {
    const { pat, member, meetingId } = await withVideo();
    for (const media of [await join(pat, meetingId, 'Pat'), await join(member, meetingId, 'Sam')]) {
      const raw = Buffer.from(media.mediaKey.key, 'base64url');
      const decoded = decodedJwt(media.token);
      expect(decoded).toContain('roomJoin');
      for (const encoding of [media.mediaKey.key, raw.toString('base64'), raw.toString('hex'), raw.toString('latin1')]) {
        expect(media.token).not.toContain(encoding);
        expect(decoded).not.toContain(encoding);
      }
    }
  });

  it('moves to a new key on rotation, and a restarted server (same secret and store) gives the same key', async () => {
    const { server, pat, meetingId } = await withVideo();
    const first = (await join(pat, meetingId, 'Pat')).mediaKey;
    await server.services.mediaKeys.rotate(meetingId, 'participant_left');
    const second = await keyOf(pat, meetingId);
    expect(second.index).toBe(first.index + 1);
    expect(second.key).not.toBe(first.key);
    // The audit says the key moved on, and why, with the index as its only trace of the key.
    const [rotated] = (await server.stores.audit.list({ limit: 50 })).filter((e) => e.action === 'media_key_rotated');
    expect(rotated).toMatchObject({ actorKind: 'system', meetingId, targetId: String(second.index), reason: 'participant_left' });
    expect(JSON.stringify(rotated)).not.toContain(second.key);
    // What a restart does: new services over the same store and DATA_DIR secret.
    const again = createMediaKeys({ stores: server.stores, serverSecret: server.serverSecret, rooms: { announce: async () => {} } });
    expect(await again.current(meetingId)).toEqual(second);
  });

  it('refuses forged credentials and an invite that was revoked (a stale request), before and after the rotation that follows', async () => {
    const { server, pat, member, meetingId, inviteUrl } = await withVideo();
    const before = (await join(member, meetingId, 'Sam')).mediaKey;

    const nobody = new HttpSession('http://localhost', { fetch: server.fetch });
    expect(await errorOf(await nobody.request('GET', `/api/meetings/${meetingId}/media-key`))).toEqual({ status: 401, code: 'unauthorized' });
    const token = new URL(inviteUrl).pathname.split('/').pop() ?? '';
    const forgedToken = `${token.slice(0, -4)}${token.slice(-4) === 'AAAA' ? 'BBBB' : 'AAAA'}`;
    const forged = new HttpSession('http://localhost', { fetch: server.fetch, inviteToken: forgedToken });
    expect((await forged.request('GET', `/api/meetings/${meetingId}/media-key`)).status).toBe(401);
    const forgedCookie = await server.fetch(`http://localhost/api/meetings/${meetingId}/media-key`, { headers: { cookie: `${SESSION_COOKIE}=not-a-session` } });
    expect(forgedCookie.status).toBe(401);

    const invites = await server.stores.invites.listForNetwork((await server.stores.meetings.get(meetingId))?.networkId ?? '');
    const invite = invites[0];
    if (!invite) throw new Error('the seeded member has an invite');
    expect((await pat.request('DELETE', `/api/invites/${invite.id}`)).status).toBe(200);
    expect((await member.request('GET', `/api/meetings/${meetingId}/media-key`)).status).toBe(401);
    await server.services.mediaKeys.rotate(meetingId, 'participant_left');
    expect((await member.request('GET', `/api/meetings/${meetingId}/media-key`)).status).toBe(401);
    // The team still gets the new key; the revoked member kept only the old one.
    expect((await keyOf(pat, meetingId)).key).not.toBe(before.key);
    // A team member's session that has ended (logged out) is stale too.
    expect((await pat.request('POST', '/api/auth/logout', {})).status).toBe(200);
    expect((await pat.request('GET', `/api/meetings/${meetingId}/media-key`)).status).toBe(401);
  });

  it("refuses a key for another network's meeting, and gives each meeting its own key", async () => {
    const { server, pat, member, meetingId } = await withVideo();
    const other = await server.services.networks.create(SYSTEM, { personName: 'Ali', referredAt: server.clock.now().toISOString() });
    const otherMeeting = await server.services.meetings.create(SYSTEM, other.id, { scheduledAt: new Date(server.clock.now().getTime() + 10 * MINUTE).toISOString() });
    expect(await errorOf(await member.request('GET', `/api/meetings/${otherMeeting.id}/media-key`))).toEqual({ status: 403, code: 'forbidden' });
    expect(await errorOf(await pat.request('GET', `/api/meetings/${otherMeeting.id}/media-key`))).toMatchObject({ status: 403 });
    // A second meeting of the same network has a different key.
    const sameNetwork = await server.services.meetings.create(SYSTEM, (await server.stores.meetings.get(meetingId))?.networkId ?? '', { scheduledAt: new Date(server.clock.now().getTime() + 10 * MINUTE).toISOString() });
    expect((await keyOf(pat, sameNetwork.id)).key).not.toBe((await keyOf(pat, meetingId)).key);
    expect((await member.request('GET', '/api/meetings/not-an-id/media-key')).status).toBe(400);
  });

  it('refuses the key of an ended meeting', async () => {
    const { pat, meetingId } = await withVideo();
    await join(pat, meetingId, 'Pat');
    expect((await pat.request('POST', `/api/meetings/${meetingId}/end`, {})).status).toBe(200);
    expect(await errorOf(await pat.request('GET', `/api/meetings/${meetingId}/media-key`))).toEqual({ status: 409, code: 'conflict' });
  });
});
