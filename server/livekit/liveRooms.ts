import { RoomServiceClient } from 'livekit-server-sdk';
import { errorFields, type Logger } from '../log.ts';
import type { MediaStateHolder } from './mediaState.ts';

/** What the services may do to live video rooms: close one for everyone, or take one person out. */
export interface LiveRooms {
  close(roomName: string): Promise<void>;
  removeParticipant(roomName: string, identity: string): Promise<void>;
}

/**
 * LiveKit's room service, reached with the current media state's keys. A room that does not exist (nobody
 * joined yet, or video is off) is not an error: there is nobody to remove.
 */
export function createLiveRooms(media: MediaStateHolder, logger: Logger): LiveRooms {
  const client = (): RoomServiceClient | undefined => {
    const state = media.get();
    if (state.status !== 'available') return undefined;
    return new RoomServiceClient(state.url.replace(/^ws/, 'http'), state.apiKey, state.apiSecret);
  };
  const attempt = async (event: string, work: (c: RoomServiceClient) => Promise<unknown>) => {
    const c = client();
    if (!c) return;
    try {
      await work(c);
    } catch (error) {
      logger.warn(event, errorFields(error));
    }
  };
  return {
    close: (roomName) => attempt('livekit_close_room_failed', (c) => c.deleteRoom(roomName)),
    removeParticipant: (roomName, identity) => attempt('livekit_remove_participant_failed', (c) => c.removeParticipant(roomName, identity)),
  };
}
