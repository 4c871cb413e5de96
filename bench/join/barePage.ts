import type * as LiveKit from 'livekit-client';

/**
 * What runs inside the bench's bare page (see e2eeCompare.ts): LiveKit's own client, loaded from its UMD build
 * as `window.LivekitClient`, with no Polyphony code. Each function is handed to `page.evaluate`, so it must
 * not use anything from this module's scope.
 */

export interface BareJoin {
  url: string;
  token: string;
  /** The bench's own media key (base64url, 32 bytes), or none for a plain join. */
  key?: string;
  /** The E2EE worker the app's build made (`/assets/livekit-client.e2ee.worker-….js`). */
  workerUrl: string;
  /** The app's key ring size (MEDIA_KEY_RING). */
  keyringSize: number;
  /** Publish the fake camera and microphone after connecting, as the app does on Join. */
  publish: boolean;
}

export interface BareJoinTimes {
  /** From the start of the join to the first frame of a remote video presented (`requestVideoFrameCallback`). */
  remoteFrameMs: number;
  /** Steps on the way, in ms from the start: key in use, connected, remote video subscribed. */
  steps: Record<string, number>;
  /** The remote video receiver's counters at its first frame, and how many frames could not be decrypted. */
  firstVideo: {
    framesReceived: number;
    framesDecoded: number;
    keyFramesDecoded: number;
    framesDropped: number;
    pliCount: number;
    firCount: number;
    decryptionErrors: number;
  };
}

/**
 * Joins the room as the app does (adaptive stream, dynacast, no ICE servers on loopback; with `key`, end-to-end
 * encryption as mediaEncryption.ts sets it up: a worker started now, AES-256 key imported and set at index 0,
 * encryption on before connecting), publishes camera and microphone if asked, and resolves at the first
 * presented frame of a remote video. The clock starts before the worker is made, so the E2EE figure carries
 * everything encryption adds: fetching and starting the worker, importing the key, encrypting and decrypting.
 * The room stays connected (as `window.__benchRoom`) until `leaveBareRoom`.
 */
export async function joinBareRoom(join: BareJoin): Promise<BareJoinTimes> {
  const lk = (window as unknown as { LivekitClient: typeof LiveKit }).LivekitClient;
  const start = performance.now();
  const steps: Record<string, number> = {};
  const step = (name: string) => void (steps[name] ??= Math.round(performance.now() - start));
  let keyProvider: LiveKit.BaseKeyProvider | undefined;
  const options: Partial<LiveKit.RoomOptions> = { adaptiveStream: true, dynacast: true };
  if (join.key !== undefined) {
    keyProvider = new lk.BaseKeyProvider({ sharedKey: true, ratchetWindowSize: 0, failureTolerance: -1, keyringSize: join.keyringSize, keySize: 256 });
    const worker = new Worker(join.workerUrl, { type: 'module' });
    // The worker answers LiveKit's first message once its script is fetched and running.
    worker.addEventListener('message', (event: MessageEvent<{ kind?: string }>) => {
      if (event.data.kind === 'initAck') step('worker ready');
    });
    worker.addEventListener('error', () => step('worker failed'));
    options.e2ee = { keyProvider, worker };
  }
  const room = new lk.Room(options);
  (window as unknown as { __benchRoom: LiveKit.Room }).__benchRoom = room;
  let errors = 0;
  room.on(lk.RoomEvent.EncryptionError, () => void (errors += 1));
  const firstFrame = new Promise<number>((resolve) => {
    room.on(lk.RoomEvent.TrackSubscribed, (track) => {
      if (track.kind !== lk.Track.Kind.Video) return;
      step('remote video subscribed');
      const video = track.attach() as HTMLVideoElement;
      // Visible and of a tile's size: adaptive stream pauses video no element shows.
      video.style.width = '320px';
      video.style.height = '180px';
      document.body.append(video);
      video.requestVideoFrameCallback(() => resolve(performance.now()));
    });
  });
  if (join.key !== undefined && keyProvider) {
    const bytes = Uint8Array.from(atob(join.key.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0));
    const material = await lk.createKeyMaterialFromBuffer(bytes.buffer);
    // onSetEncryptionKey is protected in the typings; the app's key provider calls it the same way.
    (keyProvider as unknown as { onSetEncryptionKey(k: CryptoKey, p: undefined, i: number): void }).onSetEncryptionKey(material, undefined, 0);
    await room.setE2EEEnabled(true);
    step('key in use');
  }
  await room.connect(join.url, join.token, { rtcConfig: { iceServers: [] } });
  step('connected');
  if (join.publish) {
    void room.localParticipant
      .setMicrophoneEnabled(true)
      .then(() => room.localParticipant.setCameraEnabled(true))
      .then(() => step('camera published'));
  }
  const at = await firstFrame;
  return { remoteFrameMs: Math.round(at - start), steps, firstVideo: await firstVideoStats(errors) };

  // Defined in here: page.evaluate sends only this function's text.
  /** What the remote video's receiver had seen by its first frame, to tell a lost first keyframe from a slow one. */
  async function firstVideoStats(decryptionErrors: number): Promise<BareJoinTimes['firstVideo']> {
    const stats = { framesReceived: 0, framesDecoded: 0, keyFramesDecoded: 0, framesDropped: 0, pliCount: 0, firCount: 0, decryptionErrors };
    for (const participant of room.remoteParticipants.values()) {
      for (const publication of participant.videoTrackPublications.values()) {
        const report = await publication.videoTrack?.getRTCStatsReport();
        report?.forEach((stat: Record<string, unknown>) => {
          if (stat['type'] !== 'inbound-rtp') return;
          for (const key of ['framesReceived', 'framesDecoded', 'keyFramesDecoded', 'framesDropped', 'pliCount', 'firCount'] as const) {
            const value = stat[key];
            if (typeof value === 'number') stats[key] += value;
          }
        });
      }
    }
    return stats;
  }
}


/** Leaves the room joinBareRoom made, so the next join under the same identity does not replace a live one. */
export async function leaveBareRoom(): Promise<void> {
  await (window as unknown as { __benchRoom?: LiveKit.Room }).__benchRoom?.disconnect();
}

/**
 * The other side: joins like joinBareRoom (encrypted with `key` if given) and publishes the fake camera and
 * microphone, then stays in the room for the whole comparison. Resolves once the camera is published.
 */
export async function publishInBareRoom(join: BareJoin): Promise<void> {
  const lk = (window as unknown as { LivekitClient: typeof LiveKit }).LivekitClient;
  const options: Partial<LiveKit.RoomOptions> = { adaptiveStream: true, dynacast: true };
  let keyProvider: LiveKit.BaseKeyProvider | undefined;
  if (join.key !== undefined) {
    keyProvider = new lk.BaseKeyProvider({ sharedKey: true, ratchetWindowSize: 0, failureTolerance: -1, keyringSize: join.keyringSize, keySize: 256 });
    options.e2ee = { keyProvider, worker: new Worker(join.workerUrl, { type: 'module' }) };
  }
  const room = new lk.Room(options);
  if (join.key !== undefined && keyProvider) {
    const bytes = Uint8Array.from(atob(join.key.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0));
    const material = await lk.createKeyMaterialFromBuffer(bytes.buffer);
    (keyProvider as unknown as { onSetEncryptionKey(k: CryptoKey, p: undefined, i: number): void }).onSetEncryptionKey(material, undefined, 0);
    await room.setE2EEEnabled(true);
  }
  await room.connect(join.url, join.token, { rtcConfig: { iceServers: [] } });
  await room.localParticipant.setMicrophoneEnabled(true);
  await room.localParticipant.setCameraEnabled(true);
}
