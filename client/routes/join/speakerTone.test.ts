import { describe, expect, it } from 'vitest';
import { speakerToneWav } from './speakerTone.ts';

describe('speakerToneWav', () => {
  it('makes a mono 16-bit WAV file whose header matches its length', async () => {
    const bytes = new DataView(await speakerToneWav(1).arrayBuffer());
    const text = (offset: number) => String.fromCharCode(...[0, 1, 2, 3].map((i) => bytes.getUint8(offset + i)));
    expect([text(0), text(8), text(12), text(36)]).toEqual(['RIFF', 'WAVE', 'fmt ', 'data']);
    expect(bytes.getUint16(22, true)).toBe(1);
    expect(bytes.getUint16(34, true)).toBe(16);
    expect(bytes.getUint32(40, true)).toBe(bytes.byteLength - 44);
    expect(bytes.getUint32(4, true)).toBe(bytes.byteLength - 8);
  });

  it('stays gentle: never above a fifth of full scale, and silent at both ends', async () => {
    const samples = new Int16Array((await speakerToneWav(1).arrayBuffer()).slice(44));
    const loudest = samples.reduce((max, s) => Math.max(max, Math.abs(s)), 0);
    expect(loudest).toBeLessThanOrEqual(Math.ceil(0.2 * 0x7fff));
    expect(loudest).toBeGreaterThan(0);
    expect(samples[0]).toBe(0);
    expect(Math.abs(samples.at(-1) ?? 1)).toBeLessThan(100);
  });
});
