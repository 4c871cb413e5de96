import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { ChunkSize } from './chunkSizes.ts';

export const CLIENT_START = '<!-- client:start -->';
export const CLIENT_END = '<!-- client:end -->';

/** Sets the "client" key of results.json, keeping every other key (the sync benchmark's "sync"). */
export function mergeClientResults(path: string, client: unknown): void {
  let existing: Record<string, unknown> = {};
  if (existsSync(path)) {
    const parsed: unknown = JSON.parse(readFileSync(path, 'utf8'));
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) existing = parsed as Record<string, unknown>;
  }
  writeFileSync(path, `${JSON.stringify({ ...existing, client }, null, 2)}\n`);
}

/** Replaces the client section of RESULTS.md between its markers, or appends it; the rest stays as it was. */
export function writeClientSection(path: string, section: string): void {
  const block = `${CLIENT_START}\n${section.trim()}\n${CLIENT_END}`;
  const current = existsSync(path) ? readFileSync(path, 'utf8') : '';
  const start = current.indexOf(CLIENT_START);
  const end = current.indexOf(CLIENT_END);
  const next =
    start >= 0 && end > start
      ? `${current.slice(0, start)}${block}${current.slice(end + CLIENT_END.length)}`
      : `${current.trimEnd()}${current.trim() ? '\n\n' : ''}${block}\n`;
  writeFileSync(path, next);
}


/** The client section of RESULTS.md: time to first remote frame, then every chunk's size. */
export function renderClientSection(options: {
  runs: number[];
  medianMs: number;
  chunks: ChunkSize[];
  initialJsGzipBytes: number;
  budgetBytes: number;
  measuredAt: string;
  chromium: string;
}): string {
  const kb = (bytes: number) => (bytes / 1024).toFixed(1);
  const lines = [
    '## Client (`npm run bench:join`)',
    '',
    `Measured ${options.measuredAt} on this machine, Chromium ${options.chromium}, real server and LiveKit on loopback, fake camera and microphone.`,
    '',
    '### Invite link to first remote video frame',
    '',
    `**Median of ${options.runs.length}: ${Math.round(options.medianMs)} ms** (runs: ${options.runs.map((ms) => Math.round(ms)).join(', ')} ms).`,
    '',
    'From opening a network member\'s invite link in a fresh browser context (empty cache) to the first frame of a team member\'s video',
    'drawn in the meeting room (`requestVideoFrameCallback`), with the clicks a person makes (Join this meeting, type a name, Join',
    'meeting) done at once by the script: it measures the app, not a person\'s reading time. The team member is already in the room.',
    '',
    '### Bundle: gzip size of each built chunk',
    '',
    `JS loaded by \`dist/index.html\` (scripts and modulepreloads): **${kb(options.initialJsGzipBytes)} KB gzip**, budget ${kb(options.budgetBytes)} KB: ${options.initialJsGzipBytes <= options.budgetBytes ? 'within' : '**over**'}.`,
    'The meeting room (livekit-client, the editor, Yjs) is a lazy chunk loaded after pre-join.',
    '',
    '| File | Loaded by index.html | Bytes | Gzip (level 9) |',
    '| --- | --- | ---: | ---: |',
    ...options.chunks.map((c) => `| \`${c.file.replace(/-[\w-]{8}\.(js|css)$/, '.$1')}\` | ${c.initial ? 'yes' : 'no (lazy)'} | ${c.bytes.toLocaleString('en')} | ${kb(c.gzipBytes)} KB |`),
  ];
  return lines.join('\n');
}
