import { Room, type RoomConnectOptions, type RoomOptions } from 'livekit-client';
import type { MediaAccess } from '../../../shared/api/meetings.ts';
import { markJoinStep } from '../../lib/joinMarks.ts';
import type { DeviceChoices } from '../../routes/join/createMediaPreview.ts';
import { relayOnlyRequested, rtcConfigFor } from './iceDiagnostics.ts';
import { canEncryptMedia, createMediaEncryption, prepareMediaEncryption, startEncryption, type MediaEncryption } from './mediaEncryption.ts';
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

/**
 * How long, at most, the meeting room waits to be drawn for LiveKit's signalling socket to be opened. It is
 * opened once the key is in use and the first offer made, after a few hops through the event loop (tens of
 * ms on a laptop, a few hundred on a cheap phone); drawn first, the room held those hops back by about half
 * a second on a cheap phone, and the socket's round trip only started after it.
 */
const SOCKET_WAIT_MS = 600;
/** Turns of the event loop left to the browser after the socket is made, for its handshake to leave. */
const HANDSHAKE_TURNS = 2;

/** What can be made ready while the person is on pre-join, before any key or token exists: the E2EE worker. */
export function prepareEarly(): void {
  prepareMediaEncryption();
}

const waiting = new Map<string, EarlyRoom>();

/**
 * Starts connecting to LiveKit as soon as the join call has answered, before the meeting room is drawn:
 * drawing it takes the page's only thread for a while (over a second on a cheap phone), and LiveKit's
 * socket, join and offer can cross the network meanwhile. The meeting room's session takes the room over
 * with takeEarlyRoom; nothing else changes (the same options, the same recovery).
 */
export function connectEarly(media: MediaAccess, choices: DeviceChoices): Promise<void> {
  // A browser that cannot encrypt never connects (the meeting room says why).
  if (media.status !== 'available' || waiting.has(media.token) || !canEncryptMedia()) return Promise.resolve();
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
  return signalSocketOpened(room, connecting);
}

/**
 * Resolves once LiveKit has opened its signalling socket (the request is on the network; its answer is not
 * waited for), once connecting has settled, or after SOCKET_WAIT_MS, whichever comes first.
 */
async function signalSocketOpened(room: Room, connecting: Promise<void>): Promise<void> {
  let settled = false;
  connecting.then(
    () => (settled = true),
    () => (settled = true),
  );
  const until = performance.now() + SOCKET_WAIT_MS;
  while (!settled && room.engine.client.ws === undefined && performance.now() < until) {
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  if (room.engine.client.ws === undefined) return;
  markJoinStep('video-socket-opened');
  // Chromium sends the handshake only after a check that answers on this thread (measured: the handshake
  // left once the meeting room was drawn, over 100 ms after the socket was made): give it a turn first.
  for (let turn = 0; turn < HANDSHAKE_TURNS && !settled; turn++) await new Promise((resolve) => setTimeout(resolve, 0));
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
