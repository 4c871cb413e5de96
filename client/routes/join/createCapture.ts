import { createSignal, onCleanup } from 'solid-js';

/** Why a camera or microphone could not be started, in the terms the person can act on. */
export type CaptureProblem = 'denied' | 'missing' | 'busy' | 'failed';

/**
 * One device of the preview, the microphone or the camera, captured on its own, so that turning the camera
 * on or off never interrupts the microphone (nor its level meter), and audio only never asks for a camera.
 * Stops its track when replaced, stopped, or when the screen goes away.
 */
export function createCapture(kind: 'audio' | 'video', onStarted: () => void) {
  const [track, setTrack] = createSignal<MediaStreamTrack>();
  const [problem, setProblem] = createSignal<CaptureProblem>();
  const [starting, setStarting] = createSignal(false);
  // Each start or stop gets a number; an answer to an older request (a slow permission prompt) is discarded.
  let generation = 0;

  const stop = () => {
    generation++;
    track()?.stop();
    setTrack(undefined);
    setStarting(false);
  };

  /** Starts this device: `deviceId` when given (another one if it is gone). Resolves when settled. */
  const start = async (deviceId: string | undefined) => {
    stop();
    const mine = generation;
    setStarting(true);
    try {
      const media = await capture(kind, deviceId);
      const [captured] = media.getTracks();
      if (mine !== generation) return media.getTracks().forEach((t) => t.stop());
      setTrack(captured);
      setProblem(undefined);
      onStarted();
    } catch (error) {
      if (mine === generation) setProblem(problemOf(error));
    } finally {
      if (mine === generation) setStarting(false);
    }
  };

  onCleanup(stop);

  return {
    track,
    problem,
    starting,
    start,
    /** Stops the device and forgets any problem: a camera turned off is a choice, not a failure. */
    stop: () => {
      stop();
      setProblem(undefined);
    },
    /** The device the browser actually opened, so the meeting can use the same one. */
    deviceId: () => track()?.getSettings().deviceId,
  };
}

export type Capture = ReturnType<typeof createCapture>;

/**
 * The chosen device exactly (Chromium passes over a merely preferred one), or, when that one is gone
 * (unplugged, or its id changed since it was remembered), whichever the browser picks.
 */
async function capture(kind: 'audio' | 'video', deviceId: string | undefined): Promise<MediaStream> {
  const ask = (constraints: MediaTrackConstraints | boolean) => navigator.mediaDevices.getUserMedia(kind === 'audio' ? { audio: constraints } : { video: constraints });
  if (!deviceId) return ask(true);
  try {
    return await ask({ deviceId: { exact: deviceId } });
  } catch (error) {
    if (errorName(error) !== 'OverconstrainedError' && errorName(error) !== 'NotFoundError') throw error;
    return ask(true);
  }
}

function problemOf(error: unknown): CaptureProblem {
  const name = errorName(error);
  // Safari says SecurityError where others say NotAllowedError.
  if (name === 'NotAllowedError' || name === 'SecurityError') return 'denied';
  if (name === 'NotFoundError' || name === 'OverconstrainedError') return 'missing';
  if (name === 'NotReadableError' || name === 'AbortError') return 'busy';
  return 'failed';
}

/** Browsers differ in which class they throw (OverconstrainedError is not a DOMException everywhere); all have a name. */
function errorName(error: unknown): string {
  return typeof error === 'object' && error !== null && 'name' in error && typeof error.name === 'string' ? error.name : '';
}
