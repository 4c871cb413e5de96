import { createSignal, onCleanup } from 'solid-js';
import { createStore, reconcile } from 'solid-js/store';
import { ConnectionState, Room, RoomEvent, Track, type Participant } from 'livekit-client';
import type { MediaAccess } from '../../../shared/api/meetings.ts';
import type { ParticipantRole } from '../../../shared/api/roles.ts';
import { ParticipantMetadata } from '../../../shared/media/rooms.ts';
import type { DeviceChoices } from '../../routes/join/createMediaPreview.ts';

/** What a tile needs to know about one person in the room. Tracks are passed through untouched. */
export interface ParticipantView {
  identity: string;
  name: string;
  /** From the metadata the server put in the token; a network member if it is missing or unreadable. */
  role: ParticipantRole;
  isLocal: boolean;
  isSpeaking: boolean;
  micMuted: boolean;
  videoTrack: Track | undefined;
  audioTrack: Track | undefined;
  quality: string;
}

export type SessionState = 'connecting' | 'connected' | 'reconnecting' | 'disconnected' | 'failed';

const REFRESH_EVENTS = [
  RoomEvent.ParticipantConnected,
  RoomEvent.ParticipantDisconnected,
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
 * One LiveKit room for the meeting, made once: participants as a Solid store, the connection state, and
 * the person's own microphone and camera controls. Disconnects and unsubscribes when the owner is disposed.
 */
export function createLiveKitSession(media: Extract<MediaAccess, { status: 'available' }>, choices: DeviceChoices) {
  const room = new Room({
    adaptiveStream: true,
    dynacast: true,
    audioCaptureDefaults: choices.microphoneId ? { deviceId: choices.microphoneId } : {},
    videoCaptureDefaults: choices.cameraId ? { deviceId: choices.cameraId } : {},
  });
  const [participants, setParticipants] = createStore<ParticipantView[]>([]);
  const [state, setState] = createSignal<SessionState>('connecting');
  const [micOn, setMicOn] = createSignal(false);
  const [cameraOn, setCameraOn] = createSignal(false);
  const [problem, setProblem] = createSignal<string>();

  const refresh = () => {
    const everyone = [room.localParticipant, ...room.remoteParticipants.values()];
    setParticipants(reconcile(everyone.map(toView), { key: 'identity' }));
    setMicOn(room.localParticipant.isMicrophoneEnabled);
    setCameraOn(room.localParticipant.isCameraEnabled);
  };
  const onConnectionState = (next: ConnectionState) => setState(fromConnectionState(next));
  for (const event of REFRESH_EVENTS) room.on(event, refresh);
  room.on(RoomEvent.ConnectionStateChanged, onConnectionState);
  onCleanup(() => {
    for (const event of REFRESH_EVENTS) room.off(event, refresh);
    room.off(RoomEvent.ConnectionStateChanged, onConnectionState);
    void room.disconnect();
  });

  const connect = async () => {
    try {
      // A LiveKit server on loopback hands out public STUN servers the machine cannot reach: use none.
      await room.connect(media.url, media.token, media.localOnly ? { rtcConfig: { iceServers: [] } } : {});
      refresh();
    } catch {
      setState('failed');
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

  void connect();
  return {
    room,
    participants,
    state,
    micOn,
    cameraOn,
    problem,
    toggleMic: () => setDevice(() => room.localParticipant.setMicrophoneEnabled(!micOn()), 'microphone').then(refresh),
    toggleCamera: () => setDevice(() => room.localParticipant.setCameraEnabled(!cameraOn()), 'camera').then(refresh),
    leave: () => room.disconnect(),
  };
}

export type LiveKitSession = ReturnType<typeof createLiveKitSession>;

function toView(p: Participant): ParticipantView {
  const video = p.getTrackPublication(Track.Source.Camera);
  const audio = p.getTrackPublication(Track.Source.Microphone);
  return {
    identity: p.identity,
    name: p.name || 'Guest',
    role: roleOf(p.metadata),
    isLocal: p.isLocal,
    isSpeaking: p.isSpeaking,
    micMuted: !audio || audio.isMuted,
    videoTrack: video && !video.isMuted ? video.track : undefined,
    audioTrack: p.isLocal ? undefined : audio?.track,
    quality: p.connectionQuality,
  };
}

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

function roleOf(metadata: string | undefined): ParticipantRole {
  if (!metadata) return 'network_member';
  try {
    const parsed = ParticipantMetadata.safeParse(JSON.parse(metadata));
    return parsed.success ? parsed.data.role : 'network_member';
  } catch {
    return 'network_member';
  }
}
