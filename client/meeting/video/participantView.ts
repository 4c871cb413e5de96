import { ConnectionQuality, Track, type Participant } from 'livekit-client';
import type { ParticipantRole } from '../../../shared/api/roles.ts';
import { ParticipantMetadata } from '../../../shared/media/rooms.ts';

/** How well someone's connection is doing, in words a tile can show and a screen reader can read. */
export type QualityLevel = 'good' | 'poor' | 'lost' | 'unknown';

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
  /** Their shared screen (a letter, a plan), when they are sharing one. */
  screenTrack: Track | undefined;
  /** Sound of the shared screen (a tab playing a video), when the browser shares it. */
  screenAudioTrack: Track | undefined;
  quality: QualityLevel;
}

/** A LiveKit participant as a plain view: re-made on every change, compared by `reconcile`. */
export function toView(p: Participant): ParticipantView {
  const video = p.getTrackPublication(Track.Source.Camera);
  const audio = p.getTrackPublication(Track.Source.Microphone);
  const screen = p.getTrackPublication(Track.Source.ScreenShare);
  const screenAudio = p.getTrackPublication(Track.Source.ScreenShareAudio);
  return {
    identity: p.identity,
    name: p.name || 'Guest',
    role: roleOf(p.metadata),
    isLocal: p.isLocal,
    isSpeaking: p.isSpeaking,
    micMuted: !audio || audio.isMuted,
    videoTrack: video && !video.isMuted ? video.track : undefined,
    audioTrack: p.isLocal ? undefined : audio?.track,
    screenTrack: screen && !screen.isMuted ? screen.track : undefined,
    screenAudioTrack: p.isLocal ? undefined : screenAudio?.track,
    quality: qualityOf(p.connectionQuality),
  };
}

/** Excellent and good read the same to people: what matters is whether it is poor or lost. */
export function qualityOf(quality: ConnectionQuality): QualityLevel {
  switch (quality) {
    case ConnectionQuality.Excellent:
    case ConnectionQuality.Good:
      return 'good';
    case ConnectionQuality.Poor:
      return 'poor';
    case ConnectionQuality.Lost:
      return 'lost';
    default:
      return 'unknown';
  }
}

/** Plain words for a connection's quality, as a tile says them. */
export const QUALITY_LABELS: Record<QualityLevel, string> = {
  good: 'good connection',
  poor: 'weak connection',
  lost: 'connection lost',
  unknown: 'connection not known yet',
};

/** The role in the participant's metadata; a network member when it is missing or unreadable. */
export function roleOf(metadata: string | undefined): ParticipantRole {
  if (!metadata) return 'network_member';
  try {
    const parsed = ParticipantMetadata.safeParse(JSON.parse(metadata));
    return parsed.success ? parsed.data.role : 'network_member';
  } catch {
    return 'network_member';
  }
}
