import { createMicrophoneLevel } from './createMicrophoneLevel.ts';

/**
 * A live level bar for the microphone, and a sentence that turns to "We can hear you" once a voice came
 * through. The bar is an ARIA meter whose value changes at most once a second; with reduced motion the bar
 * itself moves at that pace too, without easing.
 */
export function MicrophoneLevel(props: { track: MediaStreamTrack }) {
  const meter = createMicrophoneLevel(() => props.track);
  const reducedMotion = window.matchMedia('(prefers-reduced-motion: reduce)').matches;
  const shown = () => (reducedMotion ? meter.announced() : meter.level());
  return (
    <div class="mic-level">
      <div class="mic-level-head">
        <span id="mic-level-label">Microphone level</span>
        <span role="status" class="mic-level-status" data-heard={meter.heard() ? '' : undefined}>
          {meter.heard() ? 'We can hear you' : 'Say something to test it'}
        </span>
      </div>
      <div class="meter" role="meter" aria-labelledby="mic-level-label" aria-valuemin={0} aria-valuemax={100} aria-valuenow={meter.announced()}>
        <div class="meter-fill" style={{ '--level': String(shown() / 100) }} />
      </div>
    </div>
  );
}
