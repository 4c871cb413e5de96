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

export function createMediaEncryption(): MediaEncryption {
  const keyProvider = new MeetingKeyProvider();
  // Bundled by Vite as a worker file of this origin (the CSP's script-src 'self' allows it).
  const worker = new Worker(new URL('livekit-client/e2ee-worker', import.meta.url), { type: 'module' });
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
