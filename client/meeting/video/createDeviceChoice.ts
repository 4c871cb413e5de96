import { createSignal, onCleanup } from 'solid-js';
import { Room, RoomEvent, supportsAudioOutputSelection } from 'livekit-client';
import { rememberChoices, type RememberedChoices } from '../../routes/join/rememberedChoices.ts';

/** The devices a person can switch between mid-meeting. */
export type DeviceKind = 'videoinput' | 'audioinput' | 'audiooutput';

export interface DeviceOption {
  id: string;
  label: string;
}

const KINDS: readonly DeviceKind[] = ['videoinput', 'audioinput', 'audiooutput'];
const FALLBACK_LABEL: Record<DeviceKind, string> = { videoinput: 'Camera', audioinput: 'Microphone', audiooutput: 'Speaker' };
const REMEMBERED_AS: Record<DeviceKind, keyof Pick<RememberedChoices, 'cameraId' | 'microphoneId' | 'speakerId'>> = { videoinput: 'cameraId', audioinput: 'microphoneId', audiooutput: 'speakerId' };

/**
 * Camera, microphone and speaker lists for the settings dialog, kept up to date when a device is plugged in
 * or out, and the one in use for each; `choose` switches the live track (or the sound output) at once.
 * Speakers are listed only where the browser can route sound to a chosen one.
 */
export function createDeviceChoice(room: Room) {
  const [devices, setDevices] = createSignal<Record<DeviceKind, DeviceOption[]>>({ videoinput: [], audioinput: [], audiooutput: [] });
  const [active, setActive] = createSignal<Partial<Record<DeviceKind, string>>>({});
  const [problem, setProblem] = createSignal<string>();

  const refresh = async () => {
    const next: Record<DeviceKind, DeviceOption[]> = { videoinput: [], audioinput: [], audiooutput: [] };
    for (const kind of KINDS) {
      if (kind === 'audiooutput' && !supportsAudioOutputSelection()) continue;
      // No permission prompt here: the person already allowed camera and microphone before joining.
      const found = await Room.getLocalDevices(kind, false);
      next[kind] = found.filter((d) => d.deviceId !== '').map((d, i) => ({ id: d.deviceId, label: d.label || `${FALLBACK_LABEL[kind]} ${i + 1}` }));
    }
    setDevices(next);
    setActive(Object.fromEntries(KINDS.map((kind) => [kind, room.getActiveDevice(kind) ?? next[kind][0]?.id])));
  };
  const onChange = () => void refresh();
  room.on(RoomEvent.MediaDevicesChanged, onChange);
  room.on(RoomEvent.ActiveDeviceChanged, onChange);
  room.on(RoomEvent.LocalTrackPublished, onChange);
  onCleanup(() => {
    room.off(RoomEvent.MediaDevicesChanged, onChange);
    room.off(RoomEvent.ActiveDeviceChanged, onChange);
    room.off(RoomEvent.LocalTrackPublished, onChange);
  });

  const choose = async (kind: DeviceKind, deviceId: string) => {
    try {
      const switched = await room.switchActiveDevice(kind, deviceId);
      setProblem(switched ? undefined : `That ${FALLBACK_LABEL[kind].toLowerCase()} could not be used. The one before is still on.`);
      // The next pre-join (and Join again) starts with the device the person switched to.
      if (switched) rememberChoices({ [REMEMBERED_AS[kind]]: deviceId });
    } catch {
      setProblem(`That ${FALLBACK_LABEL[kind].toLowerCase()} could not be used. The one before is still on.`);
    }
    await refresh();
  };

  return { devices, active, problem, refresh, choose };
}

export type DeviceChoice = ReturnType<typeof createDeviceChoice>;
