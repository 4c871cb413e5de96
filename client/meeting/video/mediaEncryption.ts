import { BaseKeyProvider, createKeyMaterialFromBuffer, isE2EESupported, type E2EEOptions, type Room } from 'livekit-client';
import { MEDIA_KEY_RING, type MediaKey } from '../../../shared/api/meetings.ts';

/**
 * The meeting's media keys in this browser, by index. Like LiveKit's ExternalE2EEKeyProvider (one shared key,
 * a wrong key never given up on, no ratcheting), but a key is set at its own index: during a change, frames
 * still under the previous key keep playing while this browser already sends under the new one.
 */
class MeetingKeyProvider extends BaseKeyProvider {
  constructor() {
    // AES-256-GCM (LiveKit's default is 128 bits, for SDKs other than the web one, which no one here uses).
    super({ sharedKey: true, ratchetWindowSize: 0, failureTolerance: -1, keyringSize: MEDIA_KEY_RING, keySize: 256 });
  }

  async setMeetingKey(mediaKey: MediaKey): Promise<void> {
    const material = await createKeyMaterialFromBuffer(base64urlBytes(mediaKey.key).buffer);
    this.onSetEncryptionKey(material, undefined, mediaKey.index % MEDIA_KEY_RING);
  }
}

/** One room's end-to-end encryption: the options its Room is made with, and the way to give it a key. */
export interface MediaEncryption {
  options: E2EEOptions;
  /** Takes a key into use for sending, keeping earlier ones for receiving. Older or repeated indexes are ignored. */
  useKey(mediaKey: MediaKey): Promise<void>;
  /** The index in use (for tests and the indicator), or undefined before the first key. */
  index(): number | undefined;
}

/**
 * Whether this browser can encrypt media end to end (insertable streams or RTCRtpScriptTransform). Without
 * it the browser does not join the video at all: see README, "End-to-end encrypted media".
 */
export function canEncryptMedia(): boolean {
  return isE2EESupported();
}

/** A worker started ahead by prepareMediaEncryption, not yet given to a room. It never holds a key. */
let spareWorker: Worker | undefined;

/**
 * Starts the E2EE worker while the person is still on pre-join, so that fetching and starting it (about 27 KB
 * compressed, and its own start-up) is done before Join instead of on the way to the first frame, on a slow
 * link where it competes with LiveKit's handshake for the bandwidth. The worker holds no key until a join
 * answer gives one to the room that takes it; at most one is kept waiting.
 */
export function prepareMediaEncryption(): void {
  if (spareWorker || !canEncryptMedia()) return;
  spareWorker = startWorker();
}

function startWorker(): Worker {
  // Bundled by Vite as a worker file of this origin (the CSP's script-src 'self' allows it).
  return new Worker(new URL('livekit-client/e2ee-worker', import.meta.url), { type: 'module' });
}

export function createMediaEncryption(): MediaEncryption {
  const keyProvider = new MeetingKeyProvider();
  // Each worker serves one room: the spare one goes to the first room made after it.
  const worker = spareWorker ?? startWorker();
  spareWorker = undefined;
  let current: number | undefined;
  return {
    options: { keyProvider, worker },
    async useKey(mediaKey) {
      if (current !== undefined && mediaKey.index <= current) return;
      current = mediaKey.index;
      await keyProvider.setMeetingKey(mediaKey);
    },
    index: () => current,
  };
}

/** Turns encryption on before the room connects, so not one frame leaves unencrypted. */
export async function startEncryption(room: Room, encryption: MediaEncryption, mediaKey: MediaKey): Promise<void> {
  await encryption.useKey(mediaKey);
  await room.setE2EEEnabled(true);
}

function base64urlBytes(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
