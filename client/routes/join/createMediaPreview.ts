import { createSignal, onCleanup } from 'solid-js';
import { canChooseSpeakers } from './createSpeakerTest.ts';

/** The person's device choices, carried from pre-join into the meeting. */
export interface DeviceChoices {
  audioOnly: boolean;
  cameraId: string | undefined;
  microphoneId: string | undefined;
  /** The sound output chosen for the meeting; undefined means the system's default. */
  speakerId?: string | undefined;
}

/**
 * Camera and microphone preview for the pre-join screen: the live stream, the lists of devices (speakers too,
 * where the browser can route sound to one), and a plain message when the browser refuses access. Stops every
 * track when the screen goes away.
 */
export function createMediaPreview() {
  const [stream, setStream] = createSignal<MediaStream>();
  const [cameras, setCameras] = createSignal<MediaDeviceInfo[]>([]);
  const [microphones, setMicrophones] = createSignal<MediaDeviceInfo[]>([]);
  const [speakers, setSpeakers] = createSignal<MediaDeviceInfo[]>([]);
  const [problem, setProblem] = createSignal<string>();
  const [choices, setChoices] = createSignal<DeviceChoices>({ audioOnly: false, cameraId: undefined, microphoneId: undefined });
  let generation = 0;

  const stop = () => stream()?.getTracks().forEach((track) => track.stop());

  const start = async (next: DeviceChoices) => {
    const mine = ++generation;
    stop();
    setStream(undefined);
    setChoices(next);
    try {
      const media = await navigator.mediaDevices.getUserMedia({
        audio: next.microphoneId ? { deviceId: { exact: next.microphoneId } } : true,
        video: next.audioOnly ? false : next.cameraId ? { deviceId: { exact: next.cameraId } } : true,
      });
      // A newer choice may have started while this one waited for permission: keep only the newest.
      if (mine !== generation) return media.getTracks().forEach((track) => track.stop());
      setStream(media);
      setProblem(undefined);
      await listDevices(media);
    } catch (error) {
      if (mine === generation) setProblem(describe(error));
    }
  };

  const listDevices = async (media: MediaStream) => {
    const devices = await navigator.mediaDevices.enumerateDevices();
    setCameras(devices.filter((d) => d.kind === 'videoinput'));
    setMicrophones(devices.filter((d) => d.kind === 'audioinput'));
    setSpeakers(canChooseSpeakers ? devices.filter((d) => d.kind === 'audiooutput' && d.deviceId !== '') : []);
    // Record what the browser actually picked, so the meeting uses the same devices.
    const settings = (kind: 'audio' | 'video') => media.getTracks().find((t) => t.kind === kind)?.getSettings().deviceId;
    setChoices((c) => ({ ...c, cameraId: c.audioOnly ? c.cameraId : (settings('video') ?? c.cameraId), microphoneId: settings('audio') ?? c.microphoneId }));
  };

  // Sound output needs no new camera or microphone stream: only the choice changes.
  const chooseSpeaker = (speakerId: string) => setChoices((c) => ({ ...c, speakerId }));

  onCleanup(() => {
    generation++;
    stop();
  });

  return { stream, cameras, microphones, speakers, problem, choices, start, stop, chooseSpeaker };
}

function describe(error: unknown): string {
  const name = error instanceof DOMException ? error.name : '';
  if (name === 'NotAllowedError') {
    return 'Your browser did not allow the camera or microphone. You can allow them in the browser settings, or join and only read and write the notes.';
  }
  if (name === 'NotFoundError') return 'No camera or microphone was found. You can still join and use the notes.';
  if (name === 'NotReadableError') return 'Your camera or microphone is being used by another app. Close it and try again.';
  return 'The camera or microphone could not be started. You can still join.';
}
