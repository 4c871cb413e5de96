import { createSignal, onCleanup } from 'solid-js';
import { createStore, reconcile } from 'solid-js/store';
import { ConnectionState, DisconnectReason, Room, RoomEvent, Track, TrackEvent, type RemoteTrack } from 'livekit-client';
import { MEDIA_KEY_TOPIC, type MediaAccess, type MediaKey } from '../../../shared/api/meetings.ts';
import { ApiCallError } from '../../lib/api.ts';
import { markJoinStep } from '../../lib/joinMarks.ts';
import { panelsMayLoad } from '../space/afterVideoStarts.ts';
import type { DeviceChoices } from '../../routes/join/createMediaPreview.ts';
import { toView, type ParticipantView } from './participantView.ts';
import { connectOptionsFor, roomOptionsFor, takeEarlyRoom } from './earlyRoom.ts';
import { canEncryptMedia, createMediaEncryption, startEncryption } from './mediaEncryption.ts';
import { markVideoJoinSteps } from './joinStepMarks.ts';
import { createRejoinLoop, type RejoinOutcome } from './rejoinLoop.ts';
import { shouldRejoin } from './rejoinPolicy.ts';

export type { ParticipantView } from './participantView.ts';

export type SessionState = 'connecting' | 'connected' | 'reconnecting' | 'disconnected' | 'failed';

type AvailableMedia = Extract<MediaAccess, { status: 'available' }>;

/** Asks our server again for video access (the join API: it makes sure the room exists and mints a token). */
export type RenewMediaAccess = () => Promise<MediaAccess>;

/** Asks our server for the meeting's current media key (`GET /api/meetings/:id/media-key`). */
export type FetchMediaKey = () => Promise<MediaKey>;

/** Said instead of joining the video in a browser that cannot encrypt media end to end (see README). */
export const CANNOT_ENCRYPT_MESSAGE =
  'Video and sound are off in this browser: it cannot encrypt them end to end, and this meeting is only held encrypted. The notes still work. To see and hear the others, open your link in an up-to-date Chrome, Edge, Firefox or Safari.';

/** Least time between two requests for the media key made because frames could not be decrypted. */
const KEY_RETRY_MS = 5_000;

/** Answers of the join API that no retry changes: the meeting ended, access ended, the link is wrong. */
const FINAL_API_ERRORS: ReadonlySet<string> = new Set(['unauthorized', 'forbidden', 'not_found', 'conflict', 'bad_request', 'payload_too_large']);

const REFRESH_EVENTS = [
  RoomEvent.ParticipantConnected,
  RoomEvent.ParticipantDisconnected,
  RoomEvent.TrackPublished,
  RoomEvent.TrackUnpublished,
  RoomEvent.TrackSubscribed,
  RoomEvent.TrackUnsubscribed,
  RoomEvent.TrackMuted,
  RoomEvent.TrackUnmuted,
  RoomEvent.LocalTrackPublished,
  RoomEvent.LocalTrackUnpublished,
  RoomEvent.ActiveSpeakersChanged,
  RoomEvent.ConnectionQualityChanged,
  RoomEvent.ParticipantNameChanged,
  RoomEvent.ParticipantMetadataChanged,
] as const;

/**
 * One LiveKit room for the meeting, made once: participants as a Solid store, the connection state, whether
 * the meeting was ended for everyone, and the person's own microphone, camera and screen share. Disconnects
 * and unsubscribes when the owner is disposed.
 *
 * The connection holds by itself: LiveKit first resumes briefly with the token it holds; if that fails, or
 * the token is refused, the session asks `renew` (our join API) for a fresh token, with growing waits and at
 * once when the browser is back online, until it is in again or the server says no for good. It then turns
 * on what the person had on: the microphone, and the camera only if it was on (never for audio only).
 * Video that is still starting on the server (`media` unavailable, `retrying`) is waited for the same way.
 */
export function createLiveKitSession(media: MediaAccess, choices: DeviceChoices, renew?: RenewMediaAccess, fetchKey?: FetchMediaKey) {
  // Already connecting when the join call started it (connectEarly); made here otherwise.
  const early = media.status === 'available' ? takeEarlyRoom(media) : undefined;
  // Media is always end-to-end encrypted: a browser that cannot do it gets a room that never connects.
  const encryption = early?.encryption ?? (canEncryptMedia() ? createMediaEncryption() : undefined);
  const room = early?.room ?? new Room(roomOptionsFor(choices, encryption));
  const [participants, setParticipants] = createStore<ParticipantView[]>([]);
  const [roomState, setRoomState] = createSignal<SessionState>(early ? fromConnectionState(early.room.state) : 'connecting');
  // The browser knows at once when the network is gone; LiveKit notices only when its pings go unanswered.
  // Saying "reconnecting" straight away is honest, and LiveKit reconnects as soon as the browser is back online.
  const [online, setOnline] = createSignal(navigator.onLine);
  // Between LiveKit giving up and the room being joined again, the person is still reconnecting.
  const [rejoining, setRejoining] = createSignal(false);
  const [connectedOnce, setConnectedOnce] = createSignal(false);
  const state = (): SessionState => {
    if (rejoining()) return connectedOnce() ? 'reconnecting' : 'connecting';
    return roomState() === 'connected' && !online() ? 'reconnecting' : roomState();
  };
  const [ended, setEnded] = createSignal(false);
  const [removed, setRemoved] = createSignal(false);
  const [micOn, setMicOn] = createSignal(false);
  const [cameraOn, setCameraOn] = createSignal(false);
  const [sharingScreen, setSharingScreen] = createSignal(false);
  const [problem, setProblem] = createSignal<string>();
  const [recoveries, setRecoveries] = createSignal(0);
  const [keyIndex, setKeyIndex] = createSignal(encryption?.index());
  // What the person wants on, restored after joining again. Only their own clicks change it, so a camera
  // they turned off, or never turned on (audio only), stays off through any reconnection.
  const wants = { mic: true, camera: !choices.audioOnly };

  const refresh = () => {
    // Until the first connection the local participant has no identity yet: not a person to show.
    const me = room.localParticipant.identity ? [room.localParticipant] : [];
    const everyone = [...me, ...room.remoteParticipants.values()];
    setParticipants(reconcile(everyone.map(toView), { key: 'identity' }));
    // While not connected the buttons show, and change, what will be turned on once back.
    const connected = room.state === ConnectionState.Connected;
    setMicOn(connected ? room.localParticipant.isMicrophoneEnabled : wants.mic);
    setCameraOn(connected ? room.localParticipant.isCameraEnabled : wants.camera);
    setSharingScreen(room.localParticipant.isScreenShareEnabled);
  };
  const onConnectionState = (next: ConnectionState) => {
    setRoomState(fromConnectionState(next));
    refresh();
  };
  const onReconnected = () => {
    setRecoveries((n) => n + 1);
    void refreshKey();
    // A click made while LiveKit was resuming is carried out now.
    void applyWants();
  };
  const onOnline = () => {
    setOnline(true);
    loop.wake();
  };
  const onOffline = () => setOnline(false);
  // LiveKit says why the room went away: closed by a team member ending the meeting, or something else.
  const onDisconnected = (reason?: DisconnectReason) => {
    if (reason === DisconnectReason.ROOM_DELETED) setEnded(true);
    // The server takes out of the room only someone who may no longer be in it.
    if (reason === DisconnectReason.PARTICIPANT_REMOVED) setRemoved(true);
    refresh();
    if (shouldRejoin(reason)) void rejoin();
  };
  // The key changed (someone left or lost access): ask our server for the new one; the message holds no key.
  // Asked again after each reconnection too, in case a change was announced while this browser was away.
  const refreshKey = async () => {
    if (!encryption || !fetchKey) return;
    try {
      await encryption.useKey(await fetchKey());
      setKeyIndex(encryption.index());
    } catch {
      // Refused (access ended: the room is left by other means) or offline (asked again on reconnecting).
    }
  };
  const onData = (_payload: Uint8Array, from: unknown, _kind: unknown, topic?: string) => {
    // Only the server's own message (no participant) counts; anyone's would only cause an extra request.
    if (topic === MEDIA_KEY_TOPIC && from === undefined) void refreshKey();
  };
  // Frames this browser cannot decrypt: perhaps it missed an announcement (it was away, or the request failed).
  // Asking again is cheap; at most every few seconds, as every undecryptable frame is reported.
  let askedAfterErrorAt = -Infinity;
  const onEncryptionError = () => {
    if (performance.now() - askedAfterErrorAt < KEY_RETRY_MS) return;
    askedAfterErrorAt = performance.now();
    void refreshKey();
  };
  // The shared space's heavier panels wait for the first remote frame (see afterVideoStarts).
  const onTrackSubscribed = (track: RemoteTrack) => {
    if (track.kind === Track.Kind.Video) track.once(TrackEvent.VideoPlaybackStarted, panelsMayLoad);
  };
  for (const event of REFRESH_EVENTS) room.on(event, refresh);
  room.on(RoomEvent.TrackSubscribed, onTrackSubscribed);
  room.on(RoomEvent.ConnectionStateChanged, onConnectionState);
  room.on(RoomEvent.Disconnected, onDisconnected);
  room.on(RoomEvent.Reconnected, onReconnected);
  room.on(RoomEvent.DataReceived, onData);
  room.on(RoomEvent.EncryptionError, onEncryptionError);
  window.addEventListener('online', onOnline);
  window.addEventListener('offline', onOffline);
  const stopMarking = markVideoJoinSteps(room);
  onCleanup(() => {
    loop.stop();
    stopMarking();
    window.removeEventListener('online', onOnline);
    window.removeEventListener('offline', onOffline);
    for (const event of REFRESH_EVENTS) room.off(event, refresh);
    room.off(RoomEvent.TrackSubscribed, onTrackSubscribed);
    room.off(RoomEvent.ConnectionStateChanged, onConnectionState);
    room.off(RoomEvent.Disconnected, onDisconnected);
    room.off(RoomEvent.Reconnected, onReconnected);
    room.off(RoomEvent.DataReceived, onData);
    room.off(RoomEvent.EncryptionError, onEncryptionError);
    void room.disconnect();
  });

  /**
   * Joins the room (or waits for the early connection) and turns on what the person wants on. Rejects if
   * LiveKit refuses or cannot be reached.
   */
  const enter = async (access: AvailableMedia, connecting?: Promise<void>) => {
    if (!connecting && encryption) await startEncryption(room, encryption, access.mediaKey);
    if (!connecting) markJoinStep('video-connect-started');
    await (connecting ?? room.connect(access.url, access.token, connectOptionsFor(access)));
    markJoinStep('video-connected');
    setKeyIndex(encryption?.index());
    // A key changed between the join answer and now is fetched at once.
    void refreshKey();
    // An early connection may have got in before this session listened to it.
    setRoomState(fromConnectionState(room.state));
    setConnectedOnce(true);
    refresh();
    if (![...room.remoteParticipants.values()].some((p) => p.videoTrackPublications.size > 0)) panelsMayLoad();
    // Not awaited: being in the room is what ends "Reconnecting…"; a device that is slow to start says so itself.
    void applyWants();
  };

  const applyWants = async () => {
    const me = room.localParticipant;
    if (me.isMicrophoneEnabled !== wants.mic) await setDevice(() => me.setMicrophoneEnabled(wants.mic), 'microphone');
    if (me.isCameraEnabled !== wants.camera) await setDevice(() => me.setCameraEnabled(wants.camera), 'camera');
    refresh();
  };

  const connect = async () => {
    if (!encryption) {
      panelsMayLoad();
      setRoomState('failed');
      setProblem(CANNOT_ENCRYPT_MESSAGE);
      return;
    }
    if (media.status !== 'available') return void rejoin();
    try {
      await enter(media, early?.connecting);
    } catch {
      if (renew) return void rejoin();
      panelsMayLoad();
      setRoomState('failed');
      setProblem('Video could not connect. The notes still work. Try leaving and joining again.');
    }
  };

  const loop = createRejoinLoop({
    attempt: () => (renew ? rejoinOnce(renew) : Promise.resolve('final')),
    isDown: () => room.state === ConnectionState.Disconnected,
    isOnline: () => navigator.onLine,
    onRunning: setRejoining,
  });
  /** Asks for a fresh token and joins again, until in, told no for good, or stopped. */
  const rejoin = () => (renew ? loop.run() : Promise.resolve());

  const rejoinOnce = async (renewAccess: RenewMediaAccess): Promise<RejoinOutcome> => {
    let access: MediaAccess;
    try {
      access = await renewAccess();
    } catch (error) {
      if (!(error instanceof ApiCallError) || !FINAL_API_ERRORS.has(error.code)) return 'retry';
      // The server's own plain message: the meeting ended, or this person's access did.
      setProblem(error.message);
      setRoomState('failed');
      return 'final';
    }
    if (loop.stopped()) return 'final';
    if (access.status !== 'available') {
      // Video is starting or restarting on the server: ask again shortly. Otherwise say why there is none.
      if (access.retrying) return 'retry';
      setProblem(access.reason);
      setRoomState('failed');
      return 'final';
    }
    try {
      await enter(access);
      return 'in';
    } catch {
      return 'retry';
    }
  };

  const setDevice = async (action: () => Promise<unknown>, what: string) => {
    try {
      await action();
      setProblem(undefined);
    } catch {
      setProblem(`Your ${what} could not be started. Others can still see your name, and you can still hear them.`);
    }
  };

  /** A click on the microphone or camera button: done at once when connected, else kept for when back. */
  const toggle = async (device: 'mic' | 'camera') => {
    const on = !(device === 'mic' ? micOn() : cameraOn());
    wants[device] = on;
    if (room.state === ConnectionState.Connected) {
      if (device === 'mic') await setDevice(() => room.localParticipant.setMicrophoneEnabled(on), 'microphone');
      else await setDevice(() => room.localParticipant.setCameraEnabled(on), 'camera');
    }
    refresh();
  };

  const toggleScreenShare = async () => {
    try {
      await room.localParticipant.setScreenShareEnabled(!sharingScreen(), { audio: false, selfBrowserSurface: 'exclude' });
      setProblem(undefined);
    } catch (error) {
      // Closing the browser's picker is a choice, not a failure.
      if (!(error instanceof DOMException && error.name === 'NotAllowedError')) {
        setProblem('Your screen could not be shared. Your browser may not allow it; everything else still works.');
      }
    }
    refresh();
  };

  void connect();
  return {
    room,
    participants,
    state,
    /** LiveKit's own view of the connection, which notices a lost network only after a while. */
    roomState,
    /** The media key index in use: media is end-to-end encrypted once connected with one. */
    keyIndex,
    /** False in a browser that cannot encrypt media (it never joins the video). */
    canEncrypt: encryption !== undefined,
    /** How many times LiveKit has recovered the connection by itself. */
    recoveries,
    /** True once a team member has ended the meeting for everyone (LiveKit closed the room). */
    ended,
    /** True once the server took this person out of the room: their access to the meeting has ended. */
    removed,
    micOn,
    cameraOn,
    sharingScreen,
    problem,
    toggleMic: () => toggle('mic'),
    toggleCamera: () => toggle('camera'),
    toggleScreenShare,
    leave: () => {
      loop.stop();
      return room.disconnect();
    },
  };
}

export type LiveKitSession = ReturnType<typeof createLiveKitSession>;

function fromConnectionState(state: ConnectionState): SessionState {
  switch (state) {
    case ConnectionState.Connected:
      return 'connected';
    case ConnectionState.Connecting:
      return 'connecting';
    case ConnectionState.Reconnecting:
    case ConnectionState.SignalReconnecting:
      return 'reconnecting';
    case ConnectionState.Disconnected:
      return 'disconnected';
  }
}
