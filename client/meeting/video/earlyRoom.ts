import { Room, type RoomConnectOptions, type RoomOptions } from 'livekit-client';
import type { MediaAccess } from '../../../shared/api/meetings.ts';
import { markJoinStep } from '../../lib/joinMarks.ts';
import type { DeviceChoices } from '../../routes/join/createMediaPreview.ts';
import { relayOnlyRequested, rtcConfigFor } from './iceDiagnostics.ts';
import { canEncryptMedia, createMediaEncryption, startEncryption, type MediaEncryption } from './mediaEncryption.ts';
import { briefReconnectPolicy } from './rejoinPolicy.ts';

type AvailableMedia = Extract<MediaAccess, { status: 'available' }>;

/** A room whose connection was started before the meeting room was drawn. */
export interface EarlyRoom {
  room: Room;
  /** Settles when LiveKit has let the person in, or has refused them. */
  connecting: Promise<void>;
  /** The room's end-to-end encryption, already on with the key from the join answer. */
  encryption: MediaEncryption;
}

/** An early room not taken by then (the meeting room never opened) is let go. */
const UNCLAIMED_MS = 30_000;

const waiting = new Map<string, EarlyRoom>();

/**
 * Starts connecting to LiveKit as soon as the join call has answered, before the meeting room is drawn:
 * drawing it takes the page's only thread for a while (over a second on a cheap phone), and LiveKit's
 * socket, join and offer can cross the network meanwhile. The meeting room's session takes the room over
 * with takeEarlyRoom; nothing else changes (the same options, the same recovery).
 */
export function connectEarly(media: MediaAccess, choices: DeviceChoices): void {
  // A browser that cannot encrypt never connects (the meeting room says why).
  if (media.status !== 'available' || waiting.has(media.token) || !canEncryptMedia()) return;
  const encryption = createMediaEncryption();
  const room = new Room(roomOptionsFor(choices, encryption));
  markJoinStep('video-connect-started');
  const connecting = startEncryption(room, encryption, media.mediaKey).then(() => room.connect(media.url, media.token, connectOptionsFor(media)));
  // Whoever takes the room handles a refusal; one left unclaimed has no one to tell.
  connecting.then(() => markJoinStep('video-connected')).catch(() => undefined);
  waiting.set(media.token, { room, connecting, encryption });
  setTimeout(() => {
    if (waiting.get(media.token)?.room === room && waiting.delete(media.token)) void room.disconnect();
  }, UNCLAIMED_MS);
}

/** The room connectEarly started for this access, if any; each is handed out once. */
export function takeEarlyRoom(media: AvailableMedia): EarlyRoom | undefined {
  const early = waiting.get(media.token);
  waiting.delete(media.token);
  return early;
}

/**
 * How the meeting's room is made: the devices chosen on pre-join, a brief resume before joining again, and
 * end-to-end encryption of every track (camera, microphone, screen) when `encryption` is given.
 */
export function roomOptionsFor(choices: DeviceChoices, encryption?: MediaEncryption): Partial<RoomOptions> {
  return {
    ...(encryption ? { e2ee: encryption.options } : {}),
    reconnectPolicy: briefReconnectPolicy,
    adaptiveStream: true,
    dynacast: true,
    audioCaptureDefaults: choices.microphoneId ? { deviceId: choices.microphoneId } : {},
    videoCaptureDefaults: choices.cameraId ? { deviceId: choices.cameraId } : {},
    // The speakers chosen and tested before joining; LiveKit routes every remote voice there.
    audioOutput: choices.speakerId ? { deviceId: choices.speakerId } : {},
  };
}

/** A LiveKit server on loopback hands out public STUN servers the machine cannot reach: use none. */
export function connectOptionsFor(access: AvailableMedia): RoomConnectOptions {
  const rtcConfig = rtcConfigFor(access.localOnly, relayOnlyRequested());
  return rtcConfig ? { rtcConfig } : {};
}
