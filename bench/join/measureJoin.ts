import type { TestBrowser } from '../../tests/helpers/browser.ts';
import { countBytes, type TimelineEvent } from './byteCounter.ts';
import { startCpuProfile, summariseCpu, type CpuSummary } from './cpuProfile.ts';
import { applyProfile, type JoinProfile } from './profiles.ts';

/** One network member joining, timed from their click on "Join meeting" (wall-clock ms differences). */
export interface JoinRun {
  joinToOwnTileMs: number;
  joinToRemoteFrameMs: number;
  /** From opening the invite link in an empty browser to the first remote frame (the bench's older figure). */
  openToRemoteFrameMs: number;
  /** Everything received from opening the invite link to the first remote frame. */
  bytesBeforeFirstFrame: { http: number; webSocket: number; total: number };
  /** The part of it received after the click on "Join meeting". */
  bytesAfterJoin: number;
  /** The HTTP responses that had arrived by the first remote frame, largest first. */
  responses: { url: string; bytes: number }[];
  /** Requests, WebSockets and their frames, and the page's own marks, in ms from the click on "Join meeting". */
  timeline: { ms: number; what: string; url: string; bytes?: number }[];
  /**
   * The app's own steps of the join (client/lib/joinMarks.ts: join answered, room code ready, video connected,
   * meeting room drawn, remote video subscribed…), in ms from the click, as far as they had happened by the time
   * both frames were there.
   */
  phases: Record<string, number>;
  /** With `cpuProfile`: what the page's main thread did from the click on Join to the first remote frame. */
  cpu?: CpuSummary;
}

interface Marks {
  joinAt?: number;
  ownTileAt?: number;
  remoteFrameAt?: number;
}

const TIMEOUT_MS = 120_000;

/**
 * Opens the invite link in a fresh browser context (empty cache) slowed as `profile` says, joins the first
 * meeting under the name "Sam", camera on, with the clicks done at once (the app's time, not a person's reading time),
 * and waits for a frame of Sam's own camera and of a remote participant's video to be presented.
 */
export async function measureJoin(browser: TestBrowser, inviteUrl: string, profile: JoinProfile, options: { cpuProfile?: boolean } = {}): Promise<JoinRun> {
  const context = await browser.newPerson({ viewport: profile.viewport });
  try {
    await context.addInitScript(recordJoinMarks);
    const page = await context.newPage();
    page.setDefaultTimeout(TIMEOUT_MS);
    const cdp = await context.newCDPSession(page);
    const bytes = await countBytes(cdp);
    await applyProfile(cdp, profile);
    const sampling = options.cpuProfile ? await startCpuProfile(cdp) : undefined;

    const openedAt = Date.now();
    await page.goto(inviteUrl);
    await page.getByRole('button', { name: 'Join this meeting' }).first().click();
    await page.getByLabel('Your name, as others will see it').fill('Sam');
    // The camera is off on pre-join until the person turns it on (audio only must never open it); Sam wants
    // to be seen, so the own tile has frames to show. Join is clicked at once, without waiting for the preview.
    await page.getByRole('button', { name: 'Turn camera on', exact: true }).click();
    await page.getByRole('button', { name: 'Join meeting' }).click();
    const handle = await page.waitForFunction(
      () => {
        const marks = (window as unknown as { __joinMarks: Marks }).__joinMarks;
        return marks.ownTileAt !== undefined && marks.remoteFrameAt !== undefined ? marks : undefined;
      },
      undefined,
      { timeout: TIMEOUT_MS, polling: 200 },
    );
    const marks = (await handle.jsonValue()) as Required<Marks>;
    const phases = await page.evaluate(readJoinSteps, marks.joinAt);
    const cpuProfile = await sampling?.stop();
    const before = bytes.receivedBy(marks.remoteFrameAt);
    return {
      joinToOwnTileMs: marks.ownTileAt - marks.joinAt,
      joinToRemoteFrameMs: marks.remoteFrameAt - marks.joinAt,
      openToRemoteFrameMs: marks.remoteFrameAt - openedAt,
      bytesBeforeFirstFrame: before,
      bytesAfterJoin: before.total - bytes.receivedBy(marks.joinAt).total,
      responses: bytes.responsesBy(marks.remoteFrameAt),
      timeline: timelineFrom(marks, bytes.timeline(), phases),
      phases,
      ...(cpuProfile && { cpu: summariseCpu(cpuProfile, (us) => bytes.wallMs(us / 1e6), marks.joinAt, marks.remoteFrameAt) }),
    };
  } finally {
    await context.close();
  }
}

function timelineFrom(marks: Required<Marks>, events: TimelineEvent[], phases: Record<string, number>): JoinRun['timeline'] {
  const own = { what: 'own tile', url: '', atMs: marks.ownTileAt };
  const remote = { what: 'first remote frame', url: '', atMs: marks.remoteFrameAt };
  const steps = Object.entries(phases).map(([step, ms]) => ({ what: `· ${step}`, url: '', atMs: marks.joinAt + ms }));
  return [...events, ...steps, own, remote]
    .filter((e) => e.atMs >= marks.joinAt - 50 && e.atMs <= marks.remoteFrameAt + 200)
    .sort((a, b) => a.atMs - b.atMs)
    .map(({ atMs, ...rest }) => ({ ...rest, ms: Math.round(atMs - marks.joinAt) }));
}

/** Runs in the page: its join marks (client/lib/joinMarks.ts), in ms after the click on Join (`joinAt`, wall clock). */
function readJoinSteps(joinAt: number): Record<string, number> {
  const prefix = 'join:';
  const steps: Record<string, number> = {};
  for (const mark of performance.getEntriesByType('mark')) {
    const step = mark.name.slice(prefix.length);
    if (mark.name.startsWith(prefix)) steps[step] ??= Math.round(performance.timeOrigin + mark.startTime - joinAt);
  }
  return steps;
}

/**
 * Runs in the page before its own scripts. Notes, as wall-clock ms: the click on "Join meeting", then the first
 * frame presented after it by the person's own video in the meeting room and by any remote participant's video
 * (`requestVideoFrameCallback` fires once a decoded frame is handed to the compositor). The pre-join camera
 * preview is not the meeting's own tile. Every peer connection's ICE and connection states and its first
 * incoming track are marked too (as join marks named "pc…"), as the page's thread sees them.
 */
function recordJoinMarks(): void {
  const NativePeerConnection = window.RTCPeerConnection;
  let pcs = 0;
  window.RTCPeerConnection = class extends NativePeerConnection {
    constructor(...args: ConstructorParameters<typeof RTCPeerConnection>) {
      super(...args);
      const id = ++pcs;
      const mark = (what: string) => performance.mark(`join:pc${id} ${what}`);
      this.addEventListener('iceconnectionstatechange', () => {
        mark(`ice ${this.iceConnectionState}`);
        if (this.iceConnectionState === 'connected') void this.markPair(mark);
      });
      this.addEventListener('connectionstatechange', () => mark(this.connectionState));
      this.addEventListener('track', (event) => mark(`${event.track.kind} track`));
      this.describe = mark;
    }
    private describe: (what: string) => void = () => undefined;
    private async markPair(mark: (what: string) => void) {
      const stats = [...(await this.getStats()).values()] as Record<string, unknown>[];
      const pair = stats.find((s) => s['type'] === 'candidate-pair' && s['nominated'] === true && s['state'] === 'succeeded');
      const candidate = (id: unknown) => stats.find((s) => s['id'] === id);
      const local = candidate(pair?.['localCandidateId']);
      const remote = candidate(pair?.['remoteCandidateId']);
      mark(`pair ${String(local?.['protocol'])} ${String(local?.['candidateType'])} ${String(local?.['address'])} → ${String(remote?.['candidateType'])} ${String(remote?.['address'])}:${String(remote?.['port'])} rtt ${String(pair?.['currentRoundTripTime'])}`);
    }
    override async setLocalDescription(description?: RTCLocalSessionDescriptionInit): Promise<void> {
      await super.setLocalDescription(description);
      this.describe(`local ${this.localDescription?.type ?? '?'}`);
    }
    override async setRemoteDescription(description: RTCSessionDescriptionInit): Promise<void> {
      await super.setRemoteDescription(description);
      this.describe(`remote ${description.type} ${/a=setup:(\w+)/.exec(description.sdp ?? '')?.[1] ?? ''}`);
    }
  };
  const marks: Marks = {};
  (window as unknown as { __joinMarks: Marks }).__joinMarks = marks;
  const wallNow = (now = performance.now()) => performance.timeOrigin + now;
  document.addEventListener(
    'click',
    (event) => {
      const button = event.target instanceof Element ? event.target.closest('button') : null;
      if (button?.textContent?.trim() === 'Join meeting') marks.joinAt ??= wallNow();
    },
    { capture: true },
  );
  const watched = new WeakSet<HTMLVideoElement>();
  const watch = () => {
    for (const video of document.querySelectorAll<HTMLVideoElement>('video:not([aria-label="Your camera preview"])')) {
      if (watched.has(video)) continue;
      watched.add(video);
      const remote = video.hasAttribute('data-remote');
      const onFrame = (now: number) => {
        const at = wallNow(now);
        if (marks.joinAt === undefined || at < marks.joinAt) return void video.requestVideoFrameCallback(onFrame);
        if (remote) marks.remoteFrameAt ??= at;
        else marks.ownTileAt ??= at;
      };
      video.requestVideoFrameCallback(onFrame);
    }
  };
  new MutationObserver(watch).observe(document, { childList: true, subtree: true });
}
