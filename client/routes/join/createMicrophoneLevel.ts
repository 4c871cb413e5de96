import { createEffect, createSignal, onCleanup, type Accessor } from 'solid-js';
import { HEARD_LEVEL, levelOfSamples, meterLevel } from './microphoneLevel.ts';

/** How often the bar is redrawn: smooth enough to follow speech, cheap on a slow phone. */
const READ_EVERY_MS = 100;
/** How often the value screen readers get changes, so that it is not re-read at every syllable. */
const ANNOUNCE_EVERY_MS = 1000;

/**
 * How loud the microphone is, read through a Web Audio AnalyserNode on the preview's own track (no second
 * capture): `level` for the bar, `announced` (rounded to tens, changed at most once a second) for the
 * meter's value, and `heard` once something as loud as a voice came through since this track started.
 */
export function createMicrophoneLevel(track: Accessor<MediaStreamTrack | undefined>) {
  const [level, setLevel] = createSignal(0);
  const [announced, setAnnounced] = createSignal(0);
  const [heard, setHeard] = createSignal(false);

  createEffect(() => {
    const current = track();
    setLevel(0);
    setAnnounced(0);
    setHeard(false);
    if (!current) return;
    const context = new AudioContext();
    const source = context.createMediaStreamSource(new MediaStream([current]));
    const analyser = context.createAnalyser();
    analyser.fftSize = 2048;
    source.connect(analyser);
    const samples = new Float32Array(analyser.fftSize);
    let loudestSinceAnnounced = 0;
    const read = setInterval(() => {
      analyser.getFloatTimeDomainData(samples);
      const reading = levelOfSamples(samples);
      setLevel((previous) => meterLevel(previous, reading));
      loudestSinceAnnounced = Math.max(loudestSinceAnnounced, reading);
      if (reading >= HEARD_LEVEL) setHeard(true);
    }, READ_EVERY_MS);
    const announce = setInterval(() => {
      setAnnounced(Math.round(loudestSinceAnnounced / 10) * 10);
      loudestSinceAnnounced = 0;
    }, ANNOUNCE_EVERY_MS);
    const stopResuming = resumeOnFirstGesture(context);
    onCleanup(() => {
      clearInterval(read);
      clearInterval(announce);
      stopResuming();
      source.disconnect();
      void context.close();
    });
  });

  return { level, announced, heard };
}

/**
 * Browsers keep audio suspended on a page nobody has touched yet (a reload of the pre-join screen): it
 * starts at the person's first tap or key press, which they make anyway to type their name.
 */
function resumeOnFirstGesture(context: AudioContext): () => void {
  const resume = () => {
    if (context.state === 'suspended') void context.resume();
  };
  resume();
  const events = ['pointerdown', 'keydown'] as const;
  for (const event of events) document.addEventListener(event, resume, { capture: true });
  return () => {
    for (const event of events) document.removeEventListener(event, resume, { capture: true });
  };
}
