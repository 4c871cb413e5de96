import { createSignal, onCleanup } from 'solid-js';
import { createCapture } from './createCapture.ts';
import { canChooseSpeakers } from './createSpeakerTest.ts';
import { rememberChoices, type RememberedChoices } from './rememberedChoices.ts';

/** The person's device choices, carried from pre-join into the meeting. */
export interface DeviceChoices {
  audioOnly: boolean;
  cameraId: string | undefined;
  microphoneId: string | undefined;
  /** The sound output chosen for the meeting; undefined means the system's default. */
  speakerId?: string | undefined;
}

/**
 * The pre-join screen's microphone and camera, started from what this device remembers: the microphone at
 * once (for the level meter), the camera only if the person chose it, now or on an earlier visit. Every
 * choice is remembered as it is made. Lists the devices (speakers too, where the browser can route sound
 * to one) once the browser has allowed them.
 */
export function createMediaPreview(remembered: RememberedChoices) {
  const microphone = createCapture('audio', () => void listDevices());
  const camera = createCapture('video', () => void listDevices());
  const [cameraOn, setCameraOn] = createSignal(!remembered.audioOnly);
  const [chosen, setChosen] = createSignal({ cameraId: remembered.cameraId, microphoneId: remembered.microphoneId, speakerId: remembered.speakerId });
  const [devices, setDevices] = createSignal<MediaDeviceInfo[]>([]);

  const listDevices = async () => {
    const all = await navigator.mediaDevices.enumerateDevices();
    // Before a kind is allowed, browsers list it without an id: nothing to choose from yet.
    setDevices(all.filter((d) => d.deviceId !== ''));
  };
  const onDeviceChange = () => void listDevices();
  navigator.mediaDevices.addEventListener('devicechange', onDeviceChange);
  onCleanup(() => navigator.mediaDevices.removeEventListener('devicechange', onDeviceChange));

  const turnCamera = (on: boolean) => {
    setCameraOn(on);
    rememberChoices({ audioOnly: !on });
    if (on) void camera.start(chosen().cameraId);
    else camera.stop();
  };
  const choose = (kind: 'cameraId' | 'microphoneId' | 'speakerId', deviceId: string) => {
    setChosen((c) => ({ ...c, [kind]: deviceId }));
    rememberChoices({ [kind]: deviceId });
    if (kind === 'microphoneId') void microphone.start(deviceId);
    if (kind === 'cameraId') void camera.start(deviceId);
  };
  /** Asks the browser again for whatever is not working (after the person allowed it in its settings). */
  const retry = () => {
    if (!microphone.track()) void microphone.start(chosen().microphoneId);
    if (cameraOn() && !camera.track()) void camera.start(chosen().cameraId);
  };
  const start = () => {
    void microphone.start(chosen().microphoneId);
    if (cameraOn()) void camera.start(chosen().cameraId);
  };

  /**
   * What the meeting starts with: the devices the preview actually opened, and audio only unless the camera
   * is on and working (a camera the browser refused would only fail again in the meeting).
   */
  const choices = (): DeviceChoices => ({
    audioOnly: !cameraOn() || camera.problem() !== undefined,
    cameraId: camera.deviceId() ?? chosen().cameraId,
    microphoneId: microphone.deviceId() ?? chosen().microphoneId,
    speakerId: knownSpeaker(),
  });

  const ofKind = (kind: MediaDeviceKind) => devices().filter((d) => d.kind === kind);
  // Speakers unplugged since they were chosen: the system's default, rather than sound sent nowhere.
  const knownSpeaker = () => {
    const id = chosen().speakerId;
    return ofKind('audiooutput').some((d) => d.deviceId === id) ? id : undefined;
  };
  return {
    microphone,
    camera,
    cameraOn,
    start,
    retry,
    turnCamera,
    choose,
    choices,
    /** Stops both devices before joining: the meeting opens its own. */
    stop: () => {
      microphone.stop();
      camera.stop();
    },
    cameras: () => ofKind('videoinput'),
    microphones: () => ofKind('audioinput'),
    speakers: () => (canChooseSpeakers ? ofKind('audiooutput') : []),
  };
}

export type MediaPreview = ReturnType<typeof createMediaPreview>;
