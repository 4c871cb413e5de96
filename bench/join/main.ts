import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freeTcpPort, freeUdpPort } from '../../server/livekit/freePort.ts';
import { launchBrowser, type TestBrowser } from '../../tests/helpers/browser.ts';
import { MeetingPage } from '../../tests/helpers/meetingPage.ts';
import { addUser, PASSWORD, seedNetwork } from '../../tests/helpers/seed.ts';
import { startServerProcess, type ServerProcess } from '../../tests/helpers/serverProcess.ts';
import { build } from 'vite';
import { chunkSizes, initialJsGzipBytes, type ChunkSize } from './chunkSizes.ts';
import { openBareRooms, type BareRooms, type BareRun } from './e2eeCompare.ts';
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
// Beside the app's runs, in the same rounds, a bare LiveKit page joins once plain and once end-to-end encrypted
// on each profile (issue 17: what encryption adds; see e2eeCompare.ts). --e2ee-only runs just that comparison
// and writes nothing.
const argv = process.argv.slice(2);
const quick = argv.includes('--quick');
const write = (argv.includes('--write') || !quick) && !argv.includes('--e2ee-only');
const cpuProfile = argv.includes('--cpu-profile');
const e2eeOnly = argv.includes('--e2ee-only');
const RUNS = Number(argv.find((a) => a.startsWith('--runs='))?.slice('--runs='.length) ?? (quick ? 2 : 5));
const INITIAL_JS_BUDGET_BYTES = 150 * 1024;
const ROOT = resolve(import.meta.dirname, '../..');
const log = (message: string): void => void process.stdout.write(`${message}\n`);
const loadAtStart = loadavg()[0] ?? 0;

const distDir = mkdtempSync(join(tmpdir(), 'polyphony-bench-dist-'));
let server: ServerProcess | undefined;
let browser: TestBrowser | undefined;
let bareRooms: BareRooms | undefined;
try {
  log('building the client');
  // Into a folder of its own, so that a dist/ someone else is serving is left alone.
  await build({ configFile: join(ROOT, 'vite.config.ts'), logLevel: 'warn', build: { outDir: distDir, emptyOutDir: true } });
  const chunks = chunkSizes(distDir);
  const initialBytes = initialJsGzipBytes(chunks);
  log(`JS loaded by index.html: ${(initialBytes / 1024).toFixed(1)} KB gzip (budget ${INITIAL_JS_BUDGET_BYTES / 1024} KB)`);

  const liveKitPort = await freeTcpPort();
  server = await startServerProcess({
    env: { CLIENT_DIR: distDir, LIVEKIT_PORT: String(liveKitPort), LIVEKIT_RTC_UDP_PORT: String(await freeUdpPort()) },
  });
  const alexId = await addUser(server.dataDir, 'alex@team.org', { name: 'Alex', role: 'practitioner' });
  const seeded = await seedNetwork(server.dataDir, { team: ['alex@team.org'], personName: 'Jo', memberName: 'Sam' });
  const inviteUrl = `${server.url}${new URL(seeded.inviteUrl).pathname}`;
  browser = await launchBrowser();

  // The team member is in the room, camera on, before the network member opens their link.
  const alex = await MeetingPage.open(await browser.newPerson(), `${server.url}/login`);
  await alex.loginAndOpenMeeting('alex@team.org', PASSWORD, 'Jo');
  await alex.join('Alex');
  await alex.page.getByLabel('Your video').waitFor({ timeout: 60_000 });
  bareRooms = await openBareRooms({
    browser,
    serverUrl: server.url,
    dataDir: server.dataDir,
    liveKitUrl: `ws://127.0.0.1:${liveKitPort}`,
    userEmail: 'alex@team.org',
    userId: alexId,
    distDir,
  });

  const byProfile: ProfileRuns[] = PROFILES.map((profile) => ({ profile, runs: [] }));
  const bareRuns: BareRun[] = [];
  for (let i = 0; i < RUNS; i++) {
    for (const entry of byProfile) {
      if (!e2eeOnly) {
        const run = await measureJoin(browser, inviteUrl, entry.profile, { cpuProfile: cpuProfile && i === 0 });
        entry.runs.push(run);
        log(`${entry.profile.id} run ${i + 1}: ${describe(run)}`);
      }
      // Plain first in one round, encrypted first in the next, so neither always follows the app's run.
      for (const mode of i % 2 === 0 ? (['plain', 'e2ee'] as const) : (['e2ee', 'plain'] as const)) {
        const bare = await bareRooms.measure(browser, entry.profile, mode);
        bareRuns.push(bare);
        const v = bare.times.firstVideo;
        const counters = `frames received ${v.framesReceived}, key frames decoded ${v.keyFramesDecoded}, dropped ${v.framesDropped}, PLI ${v.pliCount}, decryption errors ${v.decryptionErrors}`;
        log(`${entry.profile.id} bare ${mode} run ${i + 1}: first remote frame ${bare.times.remoteFrameMs} ms (${Object.entries(bare.times.steps).map(([k, v]) => `${k} ${v}`).join(', ')}; ${counters})`);
      }
    }
  }
  if (e2eeOnly) logBare(bareRuns);
  else report({ byProfile, bareRuns, chromium: browser.browser.version(), chunks, initialBytes });
} finally {
  await bareRooms?.close();
  await browser?.close();
  await server?.dispose();
  rmSync(distDir, { recursive: true, force: true });
}

/** Prints the results and, for a full run or with --write, writes them to bench/results.json and RESULTS.md. */
function report({ byProfile, bareRuns, chromium, chunks, initialBytes }: { byProfile: ProfileRuns[]; bareRuns: BareRun[]; chromium: string; chunks: ChunkSize[]; initialBytes: number }): void {
  if (quick) for (const entry of byProfile) logResponses(entry);
  for (const entry of byProfile) logCpu(entry);

  const results = clientResults({
    byProfile,
    bareRuns,
    chunks,
    initialJsGzipBytes: initialBytes,
    initialJsBudgetBytes: INITIAL_JS_BUDGET_BYTES,
    measuredAt: new Date().toISOString(),
    chromium,
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
  if (!results.targetsMet) log('a target of issue 13 or 17 is not met (see above)');
}

/** With --e2ee-only: the medians of the bare comparison. */
function logBare(runs: readonly BareRun[]): void {
  for (const profile of PROFILES) {
    const of = (mode: string) => runs.filter((r) => r.profile === profile.id && r.mode === mode).map((r) => r.times.remoteFrameMs).sort((a, b) => a - b);
    const [plain, e2ee] = [of('plain'), of('e2ee')];
    log(`${profile.id}: plain ${plain.join(', ')}; e2ee ${e2ee.join(', ')}`);
  }
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
