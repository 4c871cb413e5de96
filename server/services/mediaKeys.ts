import { hkdfSync } from 'node:crypto';
import { MEDIA_KEY_TOPIC, type MediaKey } from '../../shared/api/meetings.ts';
import { roomNameFor } from '../../shared/media/rooms.ts';
import type { LiveRooms } from '../livekit/liveRooms.ts';
import type { Stores } from '../store/stores.ts';

/** Separates media keys from every other use of the server secret (ticket and invite signatures). */
const HKDF_SALT = 'polyphony media key v1';

/** Where a meeting's current key index is kept (settings: a number only, never key material). */
const indexSetting = (meetingId: string) => `media_key_index:${meetingId}`;

/** A claim on a cause is kept this long: every instance hears an access event within seconds. */
const CAUSE_KEEP_MS = 24 * 60 * 60_000;

/** Why a key moved on, as the audit log keeps it. */
export type KeyRotationReason = 'participant_left' | 'access_lost';

export interface MediaKeysDeps {
  stores: Pick<Stores, 'settings' | 'meetings' | 'audit' | 'webhookDeliveries'>;
  serverSecret: Uint8Array;
  rooms: Pick<LiveRooms, 'announce'>;
  now?: () => Date;
}

/**
 * Each meeting's media key, by index: the key every browser in the meeting encrypts its media with (LiveKit
 * end-to-end encryption). The LiveKit server never receives it: it is given only in answers to people the
 * meeting service has let in (the join answer and `GET /api/meetings/:id/media-key`).
 *
 * Keys are derived, not stored: HKDF-SHA256(server secret, meeting id and index). Only the index is kept (in
 * the store, so a restart, or another instance, gives the same key and the meeting goes on). Derived because
 * then no key sits in the database, its backups or a PostgreSQL replica, while the server secret (kept in
 * DATA_DIR, owner-only) already is the one thing whose theft would let someone act as the server anyway.
 *
 * `rotate` moves a meeting on to the next index when someone leaves or loses access, and tells the room
 * (a LiveKit data message carrying the index only) so that browsers ask for the new key. Whoever lost access
 * is refused that request, so cannot decrypt what is sent after the change.
 */
export function createMediaKeys({ stores, serverSecret, rooms, now = () => new Date() }: MediaKeysDeps) {
  const indexOf = async (meetingId: string): Promise<number> => {
    const stored = await stores.settings.get(indexSetting(meetingId));
    const index = stored === undefined ? 0 : Number(stored);
    if (!Number.isSafeInteger(index) || index < 0) throw new Error('stored media key index is not a whole number');
    return index;
  };
  const keyAt = (meetingId: string, index: number): MediaKey => ({
    index,
    key: Buffer.from(hkdfSync('sha256', serverSecret, HKDF_SALT, `${meetingId}:${index}`, 32)).toString('base64url'),
  });
  const rotate = async (meeting: { id: string; networkId: string }, reason: KeyRotationReason): Promise<void> => {
    // Two rotations at once may both write the same next index: still a key made after both departures,
    // and refused to both departed people when they ask for it.
    const next = (await indexOf(meeting.id)) + 1;
    await stores.settings.set(indexSetting(meeting.id), String(next));
    // The audit shows an information-governance reader that the key changed and why; the index is the only
    // trace of the key it keeps.
    await stores.audit.record({ at: now().toISOString(), actorKind: 'system', action: 'media_key_rotated', networkId: meeting.networkId, meetingId: meeting.id, targetId: String(next), reason });
    await rooms.announce(roomNameFor(meeting.id), MEDIA_KEY_TOPIC, JSON.stringify({ index: next }));
  };
  return {
    /** The meeting's current key. Callers must have checked that the asker may be in the meeting. */
    current: async (meetingId: string): Promise<MediaKey> => keyAt(meetingId, await indexOf(meetingId)),
    /** A new key for a meeting not ended (an ended meeting has no video any more). */
    async rotate(meetingId: string, reason: KeyRotationReason): Promise<void> {
      const meeting = await stores.meetings.get(meetingId);
      if (meeting && meeting.status !== 'ended') await rotate(meeting, reason);
    },
    /**
     * Someone lost access to a network: every meeting of it still going gets a new key, once per `cause`
     * (the access event's name). Every instance hears the event and calls this; the first to claim the
     * cause in the shared store rotates, so the others neither rotate again (browsers would fetch a key
     * per instance) nor audit the change N times.
     */
    async rotateInNetwork(networkId: string, cause: string | undefined): Promise<void> {
      const at = now();
      const claim = `media_key:${networkId}:${cause ?? ''}`;
      if (cause && !(await stores.webhookDeliveries.claim(claim, at.toISOString(), new Date(at.getTime() - CAUSE_KEEP_MS).toISOString()))) return;
      for (const meeting of await stores.meetings.listForNetwork(networkId)) {
        if (meeting.status !== 'ended') await rotate(meeting, 'access_lost');
      }
    },
  };
}

export type MediaKeys = ReturnType<typeof createMediaKeys>;
