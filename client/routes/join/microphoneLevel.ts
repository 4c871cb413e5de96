/** Quietest sound the meter shows, in dB below full scale: room hiss stays at the bottom, speech moves it. */
const FLOOR_DB = -60;
/** From this level up the meter says "We can hear you": a voice at arm's length, not a fan in the room. */
export const HEARD_LEVEL = 30;

/**
 * How loud a block of samples (-1…1) is, from 0 (silence, or quieter than {@link FLOOR_DB}) to 100 (full
 * scale), on a decibel scale, as people hear loudness: speech near the microphone lands around 50–80.
 */
export function levelOfSamples(samples: Float32Array): number {
  if (samples.length === 0) return 0;
  let sum = 0;
  for (const sample of samples) sum += sample * sample;
  const rms = Math.sqrt(sum / samples.length);
  if (rms === 0) return 0;
  const db = 20 * Math.log10(rms);
  return Math.round(Math.min(100, Math.max(0, ((db - FLOOR_DB) / -FLOOR_DB) * 100)));
}

/**
 * The value the meter shows after a new reading: it rises at once and falls slowly, so that short sounds
 * stay readable and the bar does not flicker between syllables.
 */
export function meterLevel(previous: number, reading: number, fallPerStep = 8): number {
  return reading >= previous ? reading : Math.max(reading, previous - fallPerStep);
}
