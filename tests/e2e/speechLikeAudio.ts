import { writeFileSync } from 'node:fs';

/**
 * Writes a mono 48 kHz WAV that sounds enough like speech for voice-activity detection: voiced "syllables"
 * (a gliding pitch with harmonics, about four a second) separated by short pauses, as loud as a near talker.
 * Used as a fake microphone, so that LiveKit reports the participant as speaking.
 */
export function writeSpeechLikeWav(path: string, seconds = 6): void {
  const rate = 48_000;
  const samples = rate * seconds;
  const data = Buffer.alloc(samples * 2);
  let phase = 0;
  for (let i = 0; i < samples; i++) {
    const t = i / rate;
    const syllable = t % 0.3;
    const envelope = syllable < 0.24 ? Math.sin((Math.PI * syllable) / 0.24) : 0;
    const pitch = 140 + 50 * Math.sin(2 * Math.PI * 0.7 * t);
    phase += (2 * Math.PI * pitch) / rate;
    let voiced = 0;
    for (let h = 1; h <= 8; h++) voiced += Math.sin(h * phase) / h;
    const value = Math.max(-1, Math.min(1, 0.45 * envelope * voiced));
    data.writeInt16LE(Math.round(value * 32_767), i * 2);
  }
  const header = Buffer.alloc(44);
  header.write('RIFF', 0);
  header.writeUInt32LE(36 + data.length, 4);
  header.write('WAVE', 8);
  header.write('fmt ', 12);
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20); // PCM
  header.writeUInt16LE(1, 22); // mono
  header.writeUInt32LE(rate, 24);
  header.writeUInt32LE(rate * 2, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36);
  header.writeUInt32LE(data.length, 40);
  writeFileSync(path, Buffer.concat([header, data]));
}
