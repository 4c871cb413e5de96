import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freeTcpPort, freeUdpPort } from '../../server/livekit/freePort.ts';
import { launchBrowser, type TestBrowser } from '../../tests/helpers/browser.ts';
import { MeetingPage } from '../../tests/helpers/meetingPage.ts';
import { addUser, PASSWORD, seedNetwork } from '../../tests/helpers/seed.ts';
import { startServerProcess, type ServerProcess } from '../../tests/helpers/serverProcess.ts';
import { build } from 'vite';
import { chunkSizes, initialJsGzipBytes } from './chunkSizes.ts';
import { measureJoin, type JoinRun } from './measureJoin.ts';
import { PROFILES } from './profiles.ts';
import { BYTES_TARGET, clientResults, type ProfileRuns } from './joinResults.ts';
import { mergeClientResults, renderClientSection, writeClientSection } from './resultsFiles.ts';

// `npm run bench:join [-- --quick] [--write] [--runs=N] [--cpu-profile]`: builds the client, then, for a loopback desktop and
// a cheap phone (CPU 4× slower, 1.6 Mbit/s, 300 ms: see profiles.ts), times a network member's join from the
// click on "Join meeting" to their own tile and to the first frame of a team member's video, and counts the
// bytes received before that frame (median of 5; the profiles take turns so that load on the machine falls
// on both alike). A full run writes the "client" key of bench/results.json and the client section of
// bench/RESULTS.md; a quick one (2 runs each, about two minutes) prints, and writes only with --write.
// --cpu-profile samples the page's JavaScript in each profile's first run and prints, from Join to the first
// remote frame, what kept the main thread busy (the profile is saved for DevTools too).
const argv = process.argv.slice(2);
const quick = argv.includes('--quick');
const write = argv.includes('--write') || !quick;
const cpuProfile = argv.includes('--cpu-profile');
const RUNS = Number(argv.find((a) => a.startsWith('--runs='))?.slice('--runs='.length) ?? (quick ? 2 : 5));
const INITIAL_JS_BUDGET_BYTES = 150 * 1024;
const ROOT = resolve(import.meta.dirname, '../..');
const log = (message: string): void => void process.stdout.write(`${message}\n`);
const loadAtStart = loadavg()[0] ?? 0;

const distDir = mkdtempSync(join(tmpdir(), 'polyphony-bench-dist-'));
let server: ServerProcess | undefined;
let browser: TestBrowser | undefined;
try {
  log('building the client');
  // Into a folder of its own, so that a dist/ someone else is serving is left alone.
  await build({ configFile: join(ROOT, 'vite.config.ts'), logLevel: 'warn', build: { outDir: distDir, emptyOutDir: true } });
  const chunks = chunkSizes(distDir);
  const initialBytes = initialJsGzipBytes(chunks);
  log(`JS loaded by index.html: ${(initialBytes / 1024).toFixed(1)} KB gzip (budget ${INITIAL_JS_BUDGET_BYTES / 1024} KB)`);

  server = await startServerProcess({
    env: { CLIENT_DIR: distDir, LIVEKIT_PORT: String(await freeTcpPort()), LIVEKIT_RTC_UDP_PORT: String(await freeUdpPort()) },
  });
  await addUser(server.dataDir, 'alex@team.org', { name: 'Alex', role: 'practitioner' });
  const seeded = await seedNetwork(server.dataDir, { team: ['alex@team.org'], personName: 'Jo', memberName: 'Sam' });
  const inviteUrl = `${server.url}${new URL(seeded.inviteUrl).pathname}`;
  browser = await launchBrowser();

  // The team member is in the room, camera on, before the network member opens their link.
  const alex = await MeetingPage.open(await browser.newPerson(), `${server.url}/login`);
  await alex.loginAndOpenMeeting('alex@team.org', PASSWORD, 'Jo');
  await alex.join('Alex');
  await alex.page.getByLabel('Your video').waitFor({ timeout: 60_000 });

  const byProfile: ProfileRuns[] = PROFILES.map((profile) => ({ profile, runs: [] }));
  for (let i = 0; i < RUNS; i++) {
    for (const entry of byProfile) {
      const run = await measureJoin(browser, inviteUrl, entry.profile, { cpuProfile: cpuProfile && i === 0 });
      entry.runs.push(run);
      log(`${entry.profile.id} run ${i + 1}: ${describe(run)}`);
    }
  }
  if (quick) for (const entry of byProfile) logResponses(entry);
  for (const entry of byProfile) logCpu(entry);

  const results = clientResults({
    byProfile,
    chunks,
    initialJsGzipBytes: initialBytes,
    initialJsBudgetBytes: INITIAL_JS_BUDGET_BYTES,
    measuredAt: new Date().toISOString(),
    chromium: browser.browser.version(),
    loadAverage: { start: loadAtStart, end: loadavg()[0] ?? 0 },
    quick,
  });
  const section = renderClientSection(results);
  if (write) {
    mergeClientResults(join(ROOT, 'bench/results.json'), results.json);
    writeClientSection(join(ROOT, 'bench/RESULTS.md'), section);
  }
  log(`\n${section}\n\n${write ? 'wrote bench/results.json ("client") and the client section of bench/RESULTS.md' : '(not written: pass --write)'}`);
  if (initialBytes > INITIAL_JS_BUDGET_BYTES) log('the JS loaded by index.html is over its budget');
  if (!results.targetsMet) log('a target of issue 13 is not met (see above)');
} finally {
  await browser?.close();
  await server?.dispose();
  rmSync(distDir, { recursive: true, force: true });
}

function describe(run: JoinRun): string {
  const kb = (bytes: number) => `${(bytes / 1024).toFixed(0)} KB`;
  return [
    `own tile ${Math.round(run.joinToOwnTileMs)} ms`,
    `first remote frame ${Math.round(run.joinToRemoteFrameMs)} ms after Join`,
    `${kb(run.bytesBeforeFirstFrame.total)} before it (${kb(run.bytesAfterJoin)} after Join; WebSocket ${kb(run.bytesBeforeFirstFrame.webSocket)})`,
  ].join(', ');
}

/** What a quick run loaded before the first frame, to see where the bytes go. */
function logResponses(entry: ProfileRuns): void {
  const first = entry.runs[0];
  if (!first) return;
  log(`\n${entry.profile.id}: HTTP responses before the first remote frame (run 1)`);
  for (const r of first.responses.slice(0, 12)) log(`  ${String(r.bytes).padStart(8)}  ${new URL(r.url).pathname.slice(0, 70)}`);
  if (first.bytesBeforeFirstFrame.total > BYTES_TARGET) log(`  over the target of ${BYTES_TARGET / 1024} KB`);
  log(`${entry.profile.id}: from the click on Join (run 1), ms`);
  for (const e of first.timeline) {
    const where = e.url ? new URL(e.url).pathname.slice(0, 60) : '';
    log(`  ${String(e.ms).padStart(6)}  ${e.what.padEnd(18)} ${where}${e.bytes === undefined ? '' : ` ${e.bytes} B`}`);
  }
}

/** With --cpu-profile: what held the main thread from Join to the first remote frame (run 1). */
function logCpu(entry: ProfileRuns): void {
  const cpu = entry.runs[0]?.cpu;
  if (!cpu) return;
  log(`\n${entry.profile.id}: main thread from Join to the first remote frame (run 1; profile in ${cpu.file}, Join at ${cpu.fromProfileMs} ms into it), ms busy per slice`);
  for (const slice of cpu.slices) {
    log(`  ${String(slice.fromMs).padStart(6)}  ${String(slice.busyMs).padStart(4)}  ${slice.top.map((t) => `${t.what} ${t.ms}`).join(', ')}`);
  }
  log(`${entry.profile.id}: functions taking the most time themselves`);
  for (const f of cpu.topFunctions) log(`  ${String(f.ms).padStart(6)}  ${f.what}`);
}
