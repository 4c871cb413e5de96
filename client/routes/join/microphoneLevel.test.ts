import { describe, expect, it } from 'vitest';
import { HEARD_LEVEL, levelOfSamples, meterLevel } from './microphoneLevel.ts';

/** A sine wave at `amplitude` (0…1 of full scale), 48 kHz, 2048 samples as an AnalyserNode gives them. */
function tone(amplitude: number): Float32Array {
  return Float32Array.from({ length: 2048 }, (_, i) => amplitude * Math.sin((2 * Math.PI * 220 * i) / 48_000));
}

describe('levelOfSamples', () => {
  it('is 0 for silence and for no samples', () => {
    expect(levelOfSamples(new Float32Array(2048))).toBe(0);
    expect(levelOfSamples(new Float32Array(0))).toBe(0);
  });

  it('keeps room hiss below "we can hear you" and a voice above it', () => {
    expect(levelOfSamples(tone(0.001))).toBeLessThan(HEARD_LEVEL);
    expect(levelOfSamples(tone(0.1))).toBeGreaterThan(HEARD_LEVEL);
  });

  it('grows with loudness and stops at 100', () => {
    const levels = [0.003, 0.03, 0.3].map((a) => levelOfSamples(tone(a)));
    expect(levels).toEqual([...levels].sort((a, b) => a - b));
    expect(new Set(levels).size).toBe(3);
    expect(levelOfSamples(Float32Array.from({ length: 64 }, () => 1))).toBe(100);
  });
});

describe('meterLevel', () => {
  it('rises at once and falls a step at a time', () => {
    expect(meterLevel(10, 70)).toBe(70);
    expect(meterLevel(70, 0)).toBe(62);
    expect(meterLevel(5, 0)).toBe(0);
  });
});
