import { RoomEvent, Track, TrackEvent, type LocalTrackPublication, type RemoteTrack, type Room } from 'livekit-client';
import { markJoinStep } from '../../lib/joinMarks.ts';

/**
 * Marks the video's steps of a join (see joinMarks.ts): the first remote video subscribed and playing, and
 * the person's own microphone and camera published. Returns what stops listening.
 */
export function markVideoJoinSteps(room: Room): () => void {
  const onSubscribed = (track: RemoteTrack) => {
    if (track.kind !== Track.Kind.Video) return;
    markJoinStep('remote-video-subscribed');
    track.once(TrackEvent.VideoPlaybackStarted, () => markJoinStep('remote-video-playing'));
  };
  const onPublished = (publication: LocalTrackPublication) => {
    if (publication.source === Track.Source.Microphone) markJoinStep('microphone-published');
    if (publication.source === Track.Source.Camera) markJoinStep('camera-published');
  };
  room.on(RoomEvent.TrackSubscribed, onSubscribed);
  room.on(RoomEvent.LocalTrackPublished, onPublished);
  return () => {
    room.off(RoomEvent.TrackSubscribed, onSubscribed);
    room.off(RoomEvent.LocalTrackPublished, onPublished);
  };
}
