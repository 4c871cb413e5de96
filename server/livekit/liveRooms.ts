import { DataPacket_Kind, RoomServiceClient } from 'livekit-server-sdk';
import { errorFields, type Logger } from '../log.ts';
import type { MediaStateHolder } from './mediaState.ts';

/** What the services may do to live video rooms. */
export interface LiveRooms {
  /**
   * Creates the room if it does not exist. Rooms are made only here, on a permitted join: the embedded
   * LiveKit runs with `auto_create: false`, so a token alone cannot bring back the room of an ended meeting.
   */
  ensure(roomName: string): Promise<void>;
  close(roomName: string): Promise<void>;
  removeParticipant(roomName: string, identity: string): Promise<void>;
  /** Takes `identity` out of every room it is in (an account deactivated while in some meeting). */
  removeEverywhere(identity: string): Promise<void>;
  /**
   * Sends a small data message to everyone in the room, on `topic`. LiveKit reads it: only signals that
   * carry nothing secret (e.g. "the media key changed, ask Polyphony for the new one").
   */
  announce(roomName: string, topic: string, text: string): Promise<void>;
}

/** How long LiveKit keeps a room nobody has joined, or everybody has left (seconds). */
const EMPTY_TIMEOUT_S = 5 * 60;

/**
 * LiveKit's room service, reached with the current media state's keys. A room or a participant that does
 * not exist (nobody joined yet, or video is off) is not an error: there is nobody to remove.
 */
export function createLiveRooms(media: MediaStateHolder, logger: Logger): LiveRooms {
  const client = (): RoomServiceClient | undefined => {
    const state = media.get();
    if (state.status !== 'available') return undefined;
    return new RoomServiceClient(state.serverUrl.replace(/^ws/, 'http'), state.apiKey, state.apiSecret);
  };
  const attempt = async (event: string, work: (c: RoomServiceClient) => Promise<unknown>): Promise<void> => {
    const c = client();
    if (!c) return;
    try {
      await work(c);
    } catch (error) {
      if (!isNotFound(error)) logger.warn(event, errorFields(error));
    }
  };
  const remove = (c: RoomServiceClient, roomName: string, identity: string): Promise<void> =>
    c.removeParticipant(roomName, identity).catch((error: unknown) => {
      if (!isNotFound(error)) throw error;
    });
  return {
    ensure: (roomName) => attempt('livekit_create_room_failed', (c) => c.createRoom({ name: roomName, emptyTimeout: EMPTY_TIMEOUT_S, departureTimeout: EMPTY_TIMEOUT_S })),
    close: (roomName) => attempt('livekit_close_room_failed', (c) => c.deleteRoom(roomName)),
    removeParticipant: (roomName, identity) => attempt('livekit_remove_participant_failed', (c) => remove(c, roomName, identity)),
    announce: (roomName, topic, text) =>
      attempt('livekit_announce_failed', (c) => c.sendData(roomName, new TextEncoder().encode(text), DataPacket_Kind.RELIABLE, { topic })),
    removeEverywhere: (identity) =>
      attempt('livekit_remove_participant_failed', async (c) => {
        for (const room of await c.listRooms()) await remove(c, room.name, identity);
      }),
  };
}

/** LiveKit answers 404 / `not_found` for a room or participant that is not there. */
function isNotFound(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (('status' in error && error.status === 404) || ('code' in error && error.code === 'not_found'));
}
