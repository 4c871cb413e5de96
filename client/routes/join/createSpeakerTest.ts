import { createSignal, onCleanup } from 'solid-js';
import { speakerToneWav } from './speakerTone.ts';

export type SpeakerTestState = 'idle' | 'playing' | 'played' | 'failed';

/** Whether this browser can send sound to a chosen output device (Chromium can; Safari and Firefox vary). */
export const canChooseSpeakers = typeof HTMLMediaElement !== 'undefined' && 'setSinkId' in HTMLMediaElement.prototype;

/**
 * "Test speakers" on the pre-join screen: plays a short, gentle chime through the chosen output, and says
 * plainly what happened. One audio element, made on first use and released when the screen goes away.
 */
export function createSpeakerTest() {
  const [state, setState] = createSignal<SpeakerTestState>('idle');
  let audio: HTMLAudioElement | undefined;
  let url: string | undefined;

  const play = async (speakerId: string | undefined) => {
    url ??= URL.createObjectURL(speakerToneWav());
    audio ??= new Audio(url);
    audio.onended = () => setState('played');
    try {
      if (canChooseSpeakers && speakerId !== undefined && audio.sinkId !== speakerId) await audio.setSinkId(speakerId);
      audio.currentTime = 0;
      setState('playing');
      await audio.play();
    } catch {
      setState('failed');
    }
  };

  onCleanup(() => {
    audio?.pause();
    if (url) URL.revokeObjectURL(url);
  });

  return { state, play };
}

/** The plain sentence the status line shows for each state. */
export function speakerTestMessage(state: SpeakerTestState): string {
  switch (state) {
    case 'idle':
      return '';
    case 'playing':
      return 'Playing a short sound. Did you hear it?';
    case 'played':
      return 'Did you hear the sound? If not, turn the volume up or choose other speakers, then try again.';
    case 'failed':
      return 'The sound could not be played. Check that your speakers are on, or choose other speakers.';
  }
}
