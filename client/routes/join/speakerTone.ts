const SAMPLE_RATE = 22_050;

/**
 * A short, gentle two-note chime as a 16-bit mono WAV file: soft (a fifth of full scale), with slow fades
 * so it never clicks or startles. Made in code so that no sound file has to be shipped or fetched.
 */
export function speakerToneWav(seconds = 1.2): Blob {
  const count = Math.round(seconds * SAMPLE_RATE);
  const samples = new Int16Array(count);
  const fade = 0.08 * SAMPLE_RATE;
  for (let i = 0; i < count; i++) {
    const t = i / SAMPLE_RATE;
    // Two notes a fifth apart (A4, then E5), each with its own swell, like a soft doorbell.
    const frequency = i < count / 2 ? 440 : 659.25;
    const edge = Math.min(1, i / fade, (count - i) / fade, Math.abs(i - count / 2) / (fade / 2));
    samples[i] = Math.round(Math.sin(2 * Math.PI * frequency * t) * edge * 0.2 * 0x7fff);
  }
  return new Blob([wavHeader(samples.byteLength), samples], { type: 'audio/wav' });
}

/** The 44-byte RIFF header for mono 16-bit PCM at SAMPLE_RATE. */
function wavHeader(dataBytes: number): ArrayBuffer {
  const header = new DataView(new ArrayBuffer(44));
  const text = (offset: number, value: string) => [...value].forEach((c, i) => header.setUint8(offset + i, c.charCodeAt(0)));
  text(0, 'RIFF');
  header.setUint32(4, 36 + dataBytes, true);
  text(8, 'WAVE');
  text(12, 'fmt ');
  header.setUint32(16, 16, true); // size of the format chunk
  header.setUint16(20, 1, true); // PCM
  header.setUint16(22, 1, true); // mono
  header.setUint32(24, SAMPLE_RATE, true);
  header.setUint32(28, SAMPLE_RATE * 2, true); // bytes per second
  header.setUint16(32, 2, true); // bytes per frame
  header.setUint16(34, 16, true); // bits per sample
  text(36, 'data');
  header.setUint32(40, dataBytes, true);
  return header.buffer;
}
