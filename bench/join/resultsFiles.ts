import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { BYTES_TARGET, E2EE_ADDED_TARGET_MS, type ClientResults, type E2eeComparison, type ProfileSummary, type Series } from './joinResults.ts';

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

/** The client section of RESULTS.md: joining on both profiles against the targets, then every chunk's size. */
export function renderClientSection(results: ClientResults): string {
  const kb = (bytes: number) => (bytes / 1024).toFixed(1);
  const [desktop, phone] = [results.profiles.find((p) => p.profile.id === 'desktop'), results.profiles.find((p) => p.profile.id === 'phone')];
  const runCount = results.profiles[0]?.remoteFrame.runs.length ?? 0;
  const row = (label: string, target: string, pick: (p: ProfileSummary) => Series, unit: (n: number) => string = String) => {
    const cell = (p: ProfileSummary | undefined) => (p ? `${unit(pick(p).median)} (${pick(p).runs.map(unit).join(', ')})` : '–');
    const ratio = desktop && phone && pick(desktop).median > 0 ? `${(pick(phone).median / pick(desktop).median).toFixed(1)}×` : '–';
    return `| ${label} | ${target} | ${cell(desktop)} | ${cell(phone)} | ${ratio} |`;
  };
  const verdicts = results.profiles.flatMap((p) => [
    `${p.profile.label}: Join → first remote frame ${p.remoteFrame.median} ms, target under ${p.profile.targetMs} ms: ${p.remoteFrame.median < p.profile.targetMs ? 'met' : '**not met**'}.`,
    `${p.profile.label}: ${kb(p.bytes.median)} KB before the first frame, target under ${kb(BYTES_TARGET)} KB: ${p.bytes.median < BYTES_TARGET ? 'met' : '**not met**'}.`,
  ]);
  const lines = [
    '## Client (`npm run bench:join`)',
    '',
    `Measured ${results.measuredAt} on this machine (load average ${results.loadAverage.start.toFixed(1)} → ${results.loadAverage.end.toFixed(1)})${results.quick ? ', quick run' : ''}, Chromium ${results.chromium}, real server and LiveKit on loopback, fake camera and microphone.`,
    '',
    '### Joining: loopback desktop and cheap phone',
    '',
    `Median of ${runCount} (every run in brackets); the profiles take turns, so load on the machine falls on both alike. The last column is the phone's figure over the desktop's from the same run.`,
    '',
    '| | Target | Loopback desktop | Cheap phone | Phone ÷ desktop |',
    '| --- | --- | ---: | ---: | ---: |',
    row('Join → own tile (ms)', '', (p) => p.ownTile),
    row('Join → first remote frame (ms)', 'desktop < 1000, phone < 3000', (p) => p.remoteFrame),
    row('Received before the first remote frame (KB)', `< ${kb(BYTES_TARGET)}`, (p) => p.bytes, kb),
    row('… of it after Join (KB)', '', (p) => p.bytesAfterJoin, kb),
    row('… of it over WebSockets (KB)', '', (p) => p.webSocketBytes, kb),
    row('Invite link opened → first remote frame (ms)', '', (p) => p.openToRemoteFrame),
    '',
    ...verdicts.map((v) => `- ${v}`),
    '',
    ...e2eeTable(results.e2ee, desktop),
    ...phaseTable(desktop, phone),
    'Each run opens a network member\'s invite link in a fresh browser context (empty cache) and makes the clicks a person makes (Join',
    'this meeting, type a name, Join meeting) at once: it measures the app, not a person\'s reading time. A team member is already in the',
    'room with the camera on. Times start at the click on "Join meeting" and end at the first frame the browser presents',
    '(`requestVideoFrameCallback`) of the person\'s own video in the meeting room, and of the team member\'s video.',
    '*Cheap phone*: a 390×844 viewport, the page\'s main thread 4× slower (`Emulation.setCPUThrottlingRate`), and 1.6 Mbit/s each way with',
    'a 300 ms round trip (`Network.emulateNetworkConditionsByRule`), through Chromium\'s DevTools protocol: 300 ms on every HTTP request',
    'and WebSocket connection (Chromium counts it once per request), 150 ms each way on WebRTC\'s packets (ICE, DTLS, media), which',
    'Chromium delays in both directions. *Bytes* are everything received from opening the link to the first remote frame: HTTP',
    'responses as sent (compressed, headers included; `encodedDataLength` of `Network.loadingFinished`) and WebSocket frame payloads',
    '(LiveKit signalling, the shared documents\' sync); video itself is not counted.',
    '',
    '### Bundle: gzip size of each built chunk',
    '',
    `JS loaded by \`dist/index.html\` (scripts and modulepreloads): **${kb(results.initialJsGzipBytes)} KB gzip**, budget ${kb(results.initialJsBudgetBytes)} KB: ${results.initialJsGzipBytes <= results.initialJsBudgetBytes ? 'within' : '**over**'}.`,
    'The meeting room and livekit-client are lazy chunks fetched while pre-join shows; the notes editor and the map are fetched after the first remote frame.',
    '',
    '| File | Loaded by index.html | Bytes | Gzip (level 9) |',
    '| --- | --- | ---: | ---: |',
    ...results.chunks.map((c) => `| \`${c.file.replace(/-[\w-]{8}\.(js|css)$/, '.$1')}\` | ${c.initial ? 'yes' : 'no (lazy)'} | ${c.bytes.toLocaleString('en')} | ${kb(c.gzipBytes)} KB |`),
  ];
  return lines.join('\n');
}

/**
 * Where the time goes after Join: the app's own steps (client/lib/joinMarks.ts) on both profiles, in the
 * phone's order. A step only one profile reached in every run shows a dash for the other.
 */
function phaseTable(desktop: ProfileSummary | undefined, phone: ProfileSummary | undefined): string[] {
  const order = [...Object.keys(phone?.phases ?? {}), ...Object.keys(desktop?.phases ?? {})];
  const steps = [...new Set(order)];
  if (steps.length === 0) return [];
  const cell = (p: ProfileSummary | undefined, step: string) => {
    const s = p?.phases[step];
    return s ? `${s.median} (${s.runs.join(', ')})` : '–';
  };
  return [
    '#### Where the time goes after Join',
    '',
    'The app marks its own steps (`performance.mark`, `client/lib/joinMarks.ts`); ms after the click on "Join meeting", median (every run).',
    '',
    '| Step | Loopback desktop | Cheap phone |',
    '| --- | ---: | ---: |',
    ...steps.map((step) => `| ${step} | ${cell(desktop, step)} | ${cell(phone, step)} |`),
    '',
  ];
}

/** Issue 17: the bare LiveKit page's plain and encrypted joins from the same rounds, and what encryption adds. */
function e2eeTable(comparisons: readonly E2eeComparison[], desktop: ProfileSummary | undefined): string[] {
  if (comparisons.length === 0) return [];
  const cell = (s: Series) => `${s.median} (${s.runs.join(', ')})`;
  const steps = (record: Record<string, number>) => Object.entries(record).map(([step, ms]) => `${step} ${ms}`).join(', ');
  const desktopAdded = comparisons.find((c) => c.profile.id === 'desktop');
  return [
    '### End-to-end encryption: what it adds (issue 17)',
    '',
    `The app always encrypts, so its Join → first remote frame above is the encrypted figure (\`e2ee_join_to_remote_frame_ms\`${desktop ? `, ${desktop.remoteFrame.median} ms on the desktop` : ''}).`,
    'The app has no plain mode to time beside it, and gets none: the plain figure comes from a bench-only page (`bench/join/e2eeCompare.ts`,',
    'written into the bench\'s own build folder, never shipped) running LiveKit\'s own client against the same embedded LiveKit with',
    'tokens the bench mints, once plain and once encrypted as the app sets it up (its key provider\'s settings and the E2EE worker from',
    'the app\'s build, served by the real server), taking turns in the same rounds as the app\'s runs. Each is timed from the start of',
    'the join (before the worker is made) to the first presented frame of a team member\'s video already in the room, publishing its own',
    'camera and microphone on the way; the page and LiveKit\'s code are loaded before the clock starts.',
    '',
    '| Bare page, start → first remote frame (ms) | Plain | End-to-end encrypted | Added (median − median) | Added, each round |',
    '| --- | ---: | ---: | ---: | --- |',
    ...comparisons.map((c) => `| ${c.profile.label} | ${cell(c.plain)} | ${cell(c.e2ee)} | ${c.addedMs} | ${c.addedByRound.join(', ')} |`),
    '',
    ...(desktopAdded
      ? [`- Encryption adds ${desktopAdded.addedMs} ms on the loopback desktop, target no more than ${E2EE_ADDED_TARGET_MS} ms: ${desktopAdded.addedMs <= E2EE_ADDED_TARGET_MS ? 'met' : '**not met**'}.`]
      : []),
    ...comparisons.map((c) => `- ${c.profile.label}, steps (median ms from the start): plain: ${steps(c.plainSteps)}; encrypted: ${steps(c.e2eeSteps)}.`),
    '',
  ];
}
