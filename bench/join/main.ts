import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freeTcpPort, freeUdpPort } from '../../server/livekit/freePort.ts';
import { launchBrowser, type TestBrowser } from '../../tests/helpers/browser.ts';
import { MeetingPage } from '../../tests/helpers/meetingPage.ts';
import { addUser, PASSWORD, seedNetwork } from '../../tests/helpers/seed.ts';
import { startServerProcess, type ServerProcess } from '../../tests/helpers/serverProcess.ts';
import { build } from 'vite';
import { chunkSizes, initialJsGzipBytes } from './chunkSizes.ts';
import { mergeClientResults, renderClientSection, writeClientSection } from './resultsFiles.ts';

// `npm run bench:join`: builds the client, then times opening a network member's invite link to the first
// frame of a team member's video in Chromium on loopback (median of 5), and measures every built chunk.
// Writes the "client" key of bench/results.json and the client section of bench/RESULTS.md.
const RUNS = 5;
const INITIAL_JS_BUDGET_BYTES = 150 * 1024;
const ROOT = resolve(import.meta.dirname, '../..');
const log = (message: string): void => void process.stdout.write(`${message}\n`);

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

  const runs: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const context = await browser.newPerson();
    try {
      await context.addInitScript(recordFirstRemoteFrame);
      const openedAt = Date.now();
      const sam = await MeetingPage.open(context, inviteUrl);
      await sam.chooseFirstMeeting();
      await sam.join('Sam');
      const firstFrameAt = await sam.page.waitForFunction(() => (window as unknown as { __firstRemoteFrameAt?: number }).__firstRemoteFrameAt, undefined, {
        timeout: 60_000,
        polling: 100,
      });
      const ms = Number(await firstFrameAt.jsonValue()) - openedAt;
      runs.push(ms);
      log(`run ${i + 1}: ${Math.round(ms)} ms`);
    } finally {
      await context.close();
    }
  }

  const medianMs = median(runs);
  const measuredAt = new Date().toISOString();
  const chromium = browser.browser.version();
  mergeClientResults(join(ROOT, 'bench/results.json'), {
    invite_to_first_remote_frame_ms: { median: Math.round(medianMs), runs: runs.map(Math.round) },
    initial_js_gzip_bytes: initialBytes,
    initial_js_budget_bytes: INITIAL_JS_BUDGET_BYTES,
    chunks: chunks.map((c) => ({ file: c.file, bytes: c.bytes, gzip_bytes: c.gzipBytes, initial: c.initial })),
    measured_at: measuredAt,
    chromium,
  });
  writeClientSection(
    join(ROOT, 'bench/RESULTS.md'),
    renderClientSection({ runs, medianMs, chunks, initialJsGzipBytes: initialBytes, budgetBytes: INITIAL_JS_BUDGET_BYTES, measuredAt, chromium }),
  );
  log(`median: ${Math.round(medianMs)} ms; wrote bench/results.json ("client") and the client section of bench/RESULTS.md`);
  if (initialBytes > INITIAL_JS_BUDGET_BYTES) {
    log('the JS loaded by index.html is over its budget');
    process.exitCode = 1;
  }
} finally {
  await browser?.close();
  await server?.dispose();
  rmSync(distDir, { recursive: true, force: true });
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? NaN) : ((sorted[mid - 1] ?? NaN) + (sorted[mid] ?? NaN)) / 2;
}

/**
 * Runs in the page before its own scripts: notes the wall-clock time of the first frame drawn by any remote
 * participant's video element (`requestVideoFrameCallback` fires when a frame is presented).
 */
function recordFirstRemoteFrame(): void {
  const win = window as unknown as { __firstRemoteFrameAt?: number };
  const watched = new WeakSet<HTMLVideoElement>();
  const watch = () => {
    for (const video of document.querySelectorAll<HTMLVideoElement>('video[data-remote]')) {
      if (watched.has(video)) continue;
      watched.add(video);
      video.requestVideoFrameCallback((now) => {
        win.__firstRemoteFrameAt ??= performance.timeOrigin + now;
      });
    }
  };
  new MutationObserver(watch).observe(document, { childList: true, subtree: true });
}
