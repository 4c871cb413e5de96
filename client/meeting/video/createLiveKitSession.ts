import { createSignal, onCleanup } from 'solid-js';
import { createStore, reconcile } from 'solid-js/store';
import { ConnectionState, DisconnectReason, Room, RoomEvent } from 'livekit-client';
import type { MediaAccess } from '../../../shared/api/meetings.ts';
import type { DeviceChoices } from '../../routes/join/createMediaPreview.ts';
import { toView, type ParticipantView } from './participantView.ts';
import { relayOnlyRequested, rtcConfigFor } from './iceDiagnostics.ts';

export type { ParticipantView } from './participantView.ts';

export type SessionState = 'connecting' | 'connected' | 'reconnecting' | 'disconnected' | 'failed';

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
 * One LiveKit room for the meeting, made once: participants as a Solid store, the connection state (with
 * LiveKit's own automatic reconnection), whether the meeting was ended for everyone, and the person's own
 * microphone, camera and screen share. Disconnects and unsubscribes when the owner is disposed.
 */
export function createLiveKitSession(media: Extract<MediaAccess, { status: 'available' }>, choices: DeviceChoices) {
  const room = new Room({
    adaptiveStream: true,
    dynacast: true,
    audioCaptureDefaults: choices.microphoneId ? { deviceId: choices.microphoneId } : {},
    videoCaptureDefaults: choices.cameraId ? { deviceId: choices.cameraId } : {},
    // The speakers chosen and tested before joining; LiveKit routes every remote voice there.
    audioOutput: choices.speakerId ? { deviceId: choices.speakerId } : {},
  });
  const [participants, setParticipants] = createStore<ParticipantView[]>([]);
  const [roomState, setRoomState] = createSignal<SessionState>('connecting');
  // The browser knows at once when the network is gone; LiveKit notices only when its pings go unanswered.
  // Saying "reconnecting" straight away is honest, and LiveKit reconnects as soon as the browser is back online.
  const [online, setOnline] = createSignal(navigator.onLine);
  const state = (): SessionState => (roomState() === 'connected' && !online() ? 'reconnecting' : roomState());
  const [ended, setEnded] = createSignal(false);
  const [removed, setRemoved] = createSignal(false);
  const [micOn, setMicOn] = createSignal(false);
  const [cameraOn, setCameraOn] = createSignal(false);
  const [sharingScreen, setSharingScreen] = createSignal(false);
  const [problem, setProblem] = createSignal<string>();
  const [recoveries, setRecoveries] = createSignal(0);

  const refresh = () => {
    const everyone = [room.localParticipant, ...room.remoteParticipants.values()];
    setParticipants(reconcile(everyone.map(toView), { key: 'identity' }));
    setMicOn(room.localParticipant.isMicrophoneEnabled);
    setCameraOn(room.localParticipant.isCameraEnabled);
    setSharingScreen(room.localParticipant.isScreenShareEnabled);
  };
  const onConnectionState = (next: ConnectionState) => setRoomState(fromConnectionState(next));
  const onReconnected = () => setRecoveries((n) => n + 1);
  const onOnline = () => setOnline(true);
  const onOffline = () => setOnline(false);
  // LiveKit says why the room went away: closed by a team member ending the meeting, or something else.
  const onDisconnected = (reason?: DisconnectReason) => {
    if (reason === DisconnectReason.ROOM_DELETED) setEnded(true);
    // The server takes out of the room only someone who may no longer be in it.
    if (reason === DisconnectReason.PARTICIPANT_REMOVED) setRemoved(true);
    refresh();
  };
  for (const event of REFRESH_EVENTS) room.on(event, refresh);
  room.on(RoomEvent.ConnectionStateChanged, onConnectionState);
  room.on(RoomEvent.Disconnected, onDisconnected);
  room.on(RoomEvent.Reconnected, onReconnected);
  window.addEventListener('online', onOnline);
  window.addEventListener('offline', onOffline);
  onCleanup(() => {
    window.removeEventListener('online', onOnline);
    window.removeEventListener('offline', onOffline);
    for (const event of REFRESH_EVENTS) room.off(event, refresh);
    room.off(RoomEvent.ConnectionStateChanged, onConnectionState);
    room.off(RoomEvent.Disconnected, onDisconnected);
    room.off(RoomEvent.Reconnected, onReconnected);
    void room.disconnect();
  });

  const connect = async () => {
    try {
      const rtcConfig = rtcConfigFor(media.localOnly, relayOnlyRequested());
      await room.connect(media.url, media.token, rtcConfig ? { rtcConfig } : {});
      refresh();
    } catch {
      setRoomState('failed');
      setProblem('Video could not connect. The notes still work. Try leaving and joining again.');
      return;
    }
    await setDevice(() => room.localParticipant.setMicrophoneEnabled(true), 'microphone');
    if (!choices.audioOnly) await setDevice(() => room.localParticipant.setCameraEnabled(true), 'camera');
    refresh();
  };

  const setDevice = async (action: () => Promise<unknown>, what: string) => {
    try {
      await action();
      setProblem(undefined);
    } catch {
      setProblem(`Your ${what} could not be started. Others can still see your name, and you can still hear them.`);
    }
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
    toggleMic: () => setDevice(() => room.localParticipant.setMicrophoneEnabled(!micOn()), 'microphone').then(refresh),
    toggleCamera: () => setDevice(() => room.localParticipant.setCameraEnabled(!cameraOn()), 'camera').then(refresh),
    toggleScreenShare,
    leave: () => room.disconnect(),
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
