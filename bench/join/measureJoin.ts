import type { TestBrowser } from '../../tests/helpers/browser.ts';
import { countBytes, type TimelineEvent } from './byteCounter.ts';
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
}

interface Marks {
  joinAt?: number;
  ownTileAt?: number;
  remoteFrameAt?: number;
}

const TIMEOUT_MS = 120_000;

/**
 * Opens the invite link in a fresh browser context (empty cache) slowed as `profile` says, joins the first
 * meeting under the name "Sam" with the clicks done at once (the app's time, not a person's reading time),
 * and waits for a frame of Sam's own camera and of a remote participant's video to be presented.
 */
export async function measureJoin(browser: TestBrowser, inviteUrl: string, profile: JoinProfile): Promise<JoinRun> {
  const context = await browser.newPerson({ viewport: profile.viewport });
  try {
    await context.addInitScript(recordJoinMarks);
    const page = await context.newPage();
    page.setDefaultTimeout(TIMEOUT_MS);
    const cdp = await context.newCDPSession(page);
    const bytes = await countBytes(cdp);
    await applyProfile(cdp, profile);

    const openedAt = Date.now();
    await page.goto(inviteUrl);
    await page.getByRole('button', { name: 'Join this meeting' }).first().click();
    await page.getByLabel('Your name, as others will see it').fill('Sam');
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
    const before = bytes.receivedBy(marks.remoteFrameAt);
    return {
      joinToOwnTileMs: marks.ownTileAt - marks.joinAt,
      joinToRemoteFrameMs: marks.remoteFrameAt - marks.joinAt,
      openToRemoteFrameMs: marks.remoteFrameAt - openedAt,
      bytesBeforeFirstFrame: before,
      bytesAfterJoin: before.total - bytes.receivedBy(marks.joinAt).total,
      responses: bytes.responsesBy(marks.remoteFrameAt),
      timeline: timelineFrom(marks, bytes.timeline()),
    };
  } finally {
    await context.close();
  }
}

function timelineFrom(marks: Required<Marks>, events: TimelineEvent[]): JoinRun['timeline'] {
  const own = { what: 'own tile', url: '', atMs: marks.ownTileAt };
  const remote = { what: 'first remote frame', url: '', atMs: marks.remoteFrameAt };
  return [...events, own, remote]
    .filter((e) => e.atMs >= marks.joinAt - 50 && e.atMs <= marks.remoteFrameAt + 200)
    .sort((a, b) => a.atMs - b.atMs)
    .map(({ atMs, ...rest }) => ({ ...rest, ms: Math.round(atMs - marks.joinAt) }));
}

/**
 * Runs in the page before its own scripts. Notes, as wall-clock ms: the click on "Join meeting", then the first
 * frame presented after it by the person's own video in the meeting room and by any remote participant's video
 * (`requestVideoFrameCallback` fires once a decoded frame is handed to the compositor). The pre-join camera
 * preview is not the meeting's own tile.
 */
function recordJoinMarks(): void {
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
