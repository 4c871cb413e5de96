import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RoomServiceClient, TrackSource } from 'livekit-server-sdk';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seriousAxeViolations } from '../helpers/axe.ts';
import { launchBrowser, type TestBrowser } from '../helpers/browser.ts';
import { useCleanups } from '../helpers/cleanups.ts';
import { MeetingPage } from '../helpers/meetingPage.ts';
import { mediaRequests, recordMediaRequests, videoTracks } from '../helpers/mediaRequests.ts';
import { addUser, seedNetwork, type SeededNetwork } from '../helpers/seed.ts';
import { embeddedLiveKitEnv, startServerProcess, type ServerProcess } from '../helpers/serverProcess.ts';
import { writeSpeechLikeWav } from './speechLikeAudio.ts';

const PHONE = { width: 360, height: 640 };
const SIZES = [
  { name: 'phone-360x640', viewport: PHONE },
  { name: 'phone-390x844', viewport: { width: 390, height: 844 } },
  { name: 'desktop-1440x900', viewport: { width: 1440, height: 900 } },
];
const SHOTS = 'test-results/screenshots';

/**
 * Pre-join as a family member on a phone meets it: the camera stays off until they turn it on, so choosing
 * audio only never opens it; what they chose is remembered on the device, through a reload and through
 * Leave → Join again; the microphone shows a live level; Join is on the first screen; and a browser that
 * refuses the camera and microphone gets plain steps, a "Try again", and still lets them join.
 */
describe('pre-join', () => {
  let server: ServerProcess;
  let liveKitPort: string;
  let browser: TestBrowser;
  let seeded: SeededNetwork;
  let audioDir: string;
  const cleanup = useCleanups();

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    const env = await embeddedLiveKitEnv();
    liveKitPort = env['LIVEKIT_PORT'] ?? '';
    server = await startServerProcess({ env });
    await addUser(server.dataDir, 'alex@team.org', { name: 'Alex', role: 'practitioner' });
    seeded = await seedNetwork(server.dataDir, { team: ['alex@team.org'], personName: 'Jo', memberName: 'Sam' });
    // A voice-like sound, so the level meter has something to follow (Chromium's own beep is 20 ms long).
    audioDir = mkdtempSync(join(tmpdir(), 'polyphony-prejoin-audio-'));
    writeSpeechLikeWav(join(audioDir, 'speech.wav'));
    browser = await launchBrowser({ fakeAudioFile: join(audioDir, 'speech.wav') });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.dispose();
    if (audioDir) rmSync(audioDir, { recursive: true, force: true });
  });

  const inviteUrl = () => `${server.url}${new URL(seeded.inviteUrl).pathname}`;

  /** A new person's browser on the pre-join screen, with every getUserMedia call recorded. */
  async function openPreJoin(context: BrowserContext): Promise<MeetingPage> {
    await context.addInitScript(recordMediaRequests);
    const person = await MeetingPage.open(context, inviteUrl());
    await person.chooseFirstMeeting();
    await person.page.getByLabel('Your name, as others will see it').waitFor();
    return person;
  }

  /** Reloads the page (back to the invite page) and opens the pre-join screen again, as a person would. */
  async function reloadPreJoin(person: MeetingPage): Promise<void> {
    await person.page.reload();
    await person.chooseFirstMeeting();
    await person.page.getByLabel('Your name, as others will see it').waitFor();
  }

  it('never opens the camera of a person who stays on audio only: not before joining, not after a reload, not after Leave → Join again', async () => {
    const context = await browser.newPerson({ viewport: PHONE });
    cleanup(() => context.close());
    const sam = await openPreJoin(context);
    const { page } = sam;

    // The camera starts off: the microphone is asked for (for its level), the camera is not.
    await page.getByRole('meter', { name: 'Microphone level' }).waitFor();
    expect(await page.getByRole('button', { name: 'Turn camera on' }).isVisible()).toBe(true);
    expect(await page.getByText('Camera off', { exact: true }).isVisible()).toBe(true);
    expect(await page.getByLabel('Your camera preview').count()).toBe(0);
    // A second microphone, chosen from the list: remembered as well.
    const microphone = page.getByLabel('Microphone', { exact: true });
    const second = await microphone.locator('option', { hasText: 'Fake Audio Input 2' }).getAttribute('value');
    await microphone.selectOption(second ?? '');
    await page.getByRole('meter', { name: 'Microphone level' }).waitFor();
    expect(await askedForCamera(page)).toBe(false);

    await reloadPreJoin(sam);
    await page.getByRole('meter', { name: 'Microphone level' }).waitFor();
    expect(await page.getByRole('button', { name: 'Turn camera on' }).isVisible()).toBe(true);
    expect(await page.getByLabel('Microphone', { exact: true }).inputValue()).toBe(second);
    expect(await askedForCamera(page)).toBe(false);

    await sam.join('Sam', { audioOnly: true });
    await expect.poll(() => publishedSources('Sam'), { timeout: 30_000 }).toContain(TrackSource.MICROPHONE);
    expect(await publishedSources('Sam')).not.toContain(TrackSource.CAMERA);
    expect(await page.getByRole('button', { name: 'Turn camera on' }).isVisible()).toBe(true);
    expect(await askedForCamera(page)).toBe(false);

    await page.getByRole('button', { name: 'Leave meeting' }).click();
    await page.getByRole('button', { name: 'Join again' }).click();
    // Back on pre-join: still audio only, the same microphone, and the name typed before.
    await page.getByRole('meter', { name: 'Microphone level' }).waitFor();
    expect(await page.getByRole('button', { name: 'Turn camera on' }).isVisible()).toBe(true);
    expect(await page.getByLabel('Your name, as others will see it').inputValue()).toBe('Sam');
    expect(await page.getByLabel('Microphone', { exact: true }).inputValue()).toBe(second);
    await page.getByRole('button', { name: 'Join meeting' }).click();
    await page.getByRole('button', { name: 'Leave meeting' }).waitFor();
    await expect.poll(() => publishedSources('Sam'), { timeout: 30_000 }).toContain(TrackSource.MICROPHONE);
    expect(await publishedSources('Sam')).not.toContain(TrackSource.CAMERA);
    expect(await askedForCamera(page)).toBe(false);
    expect(await videoTracks(page, 'all')).toBe(0);
    await page.getByRole('button', { name: 'Leave meeting' }).click();
  });

  it('starts the camera only when turned on, and on the next visit as it was left', async () => {
    const context = await browser.newPerson({ viewport: PHONE });
    cleanup(() => context.close());
    const kim = await openPreJoin(context);
    const { page } = kim;
    await page.getByRole('meter', { name: 'Microphone level' }).waitFor();
    expect(await askedForCamera(page)).toBe(false);

    await page.getByRole('button', { name: 'Turn camera on' }).click();
    await waitForPreviewFrames(page);
    await kim.screenshot('prejoin-camera-on-phone-360x640');

    await reloadPreJoin(kim);
    await waitForPreviewFrames(page);
    await page.getByRole('button', { name: 'Turn camera off' }).click();
    await expect.poll(() => videoTracks(page, 'live')).toBe(0);
    await reloadPreJoin(kim);
    await page.getByRole('meter', { name: 'Microphone level' }).waitFor();
    expect(await page.getByRole('button', { name: 'Turn camera on' }).isVisible()).toBe(true);
    expect(await askedForCamera(page)).toBe(false);
  });

  it('starts the encryption worker while pre-join shows, asks for no key or video token before Join, and the room takes that worker', async () => {
    const context = await browser.newPerson({ viewport: PHONE });
    cleanup(() => context.close());
    const requested: string[] = [];
    context.on('request', (request) => requested.push(new URL(request.url()).pathname));
    const lee = await openPreJoin(context);
    const { page } = lee;
    const sockets: string[] = [];
    page.on('websocket', (socket) => sockets.push(new URL(socket.url()).pathname));
    const encryptionWorkers = () => page.workers().filter((worker) => /livekit-client\.e2ee\.worker/.test(worker.url())).length;

    await expect.poll(encryptionWorkers, { timeout: 30_000 }).toBe(1);
    // Nothing that carries a key or lets anyone into the video has been asked for yet.
    expect(requested.filter((path) => /\/(join|media-key)$/.test(path))).toEqual([]);
    expect(sockets.filter((path) => path.startsWith('/rtc'))).toEqual([]);

    await lee.join('Lee');
    await expect.poll(() => publishedSources('Lee'), { timeout: 30_000 }).toContain(TrackSource.MICROPHONE);
    await page.getByText('End-to-end encrypted', { exact: true }).waitFor({ timeout: 30_000 });
    // The room encrypts with the worker pre-join started: no second one was made.
    expect(encryptionWorkers()).toBe(1);
    await page.getByRole('button', { name: 'Leave meeting' }).click();
  });

  it('shows a live microphone level, and says "We can hear you" once a voice comes through', async () => {
    const context = await browser.newPerson({ viewport: PHONE });
    cleanup(() => context.close());
    const { page } = await openPreJoin(context);
    const meter = page.getByRole('meter', { name: 'Microphone level' });
    await meter.waitFor();
    const seen = new Set<number>();
    await expect
      .poll(
        async () => {
          seen.add(Number(await meter.getAttribute('aria-valuenow')));
          return seen.size;
        },
        { timeout: 20_000, interval: 300 },
      )
      .toBeGreaterThanOrEqual(3);
    expect(Math.max(...seen)).toBeGreaterThanOrEqual(30);
    await page.getByText('We can hear you').waitFor();
  });

  it.each(SIZES)('keeps "Join meeting" on the first screen at $name, without axe violations', async ({ name, viewport }) => {
    const context = await browser.newPerson({ viewport });
    cleanup(() => context.close());
    const { page } = await openPreJoin(context);
    await page.getByText('We can hear you').waitFor({ timeout: 20_000 });
    const join = page.getByRole('button', { name: 'Join meeting' });
    const box = await join.boundingBox();
    expect(await page.evaluate(() => window.scrollY)).toBe(0);
    expect(box).not.toBeNull();
    if (box) {
      expect(box.y).toBeGreaterThanOrEqual(0);
      expect(box.y + box.height).toBeLessThanOrEqual(viewport.height);
      expect(box.x + box.width).toBeLessThanOrEqual(viewport.width);
    }
    await page.screenshot({ path: `${SHOTS}/prejoin-${name}.png` });
    await page.screenshot({ path: `${SHOTS}/prejoin-${name}-full.png`, fullPage: true });
    expect(await seriousAxeViolations(page)).toEqual([]);
  });

  describe('when the browser refuses the microphone and camera', () => {
    let blocking: TestBrowser;
    beforeAll(async () => {
      blocking = await launchBrowser({ mediaPrompts: 'block' });
    });
    afterAll(async () => {
      await blocking?.close();
    });

    it('gives steps for this browser and a "Try again" that asks again and recovers once allowed', async () => {
      const context = await blocking.newPerson({ viewport: PHONE, allowMedia: false });
      cleanup(() => context.close());
      const { page } = await openPreJoin(context);
      await page.getByRole('alert').filter({ hasText: 'Your browser is not letting this page use your microphone' }).waitFor();
      expect(await page.getByText('To allow it in Chrome:').isVisible()).toBe(true);
      expect(await page.getByRole('listitem').filter({ hasText: 'Turn on Camera and Microphone' }).count()).toBe(1);
      expect(await page.getByRole('meter').count()).toBe(0);
      const join = await page.getByRole('button', { name: 'Join meeting' }).boundingBox();
      expect(join).not.toBeNull();
      await page.screenshot({ path: `${SHOTS}/prejoin-refused-phone-360x640.png`, fullPage: true });
      expect(await seriousAxeViolations(page)).toEqual([]);

      const asked = (await mediaRequests(page)).length;
      await page.getByRole('button', { name: 'Try again' }).click();
      await page.getByText('Still not working').waitFor();
      expect((await mediaRequests(page)).length).toBe(asked + 1);
      expect((await mediaRequests(page)).at(-1)?.outcome).toBe('NotAllowedError');

      // The camera is refused too, and the preview says so rather than "starting" for ever.
      await page.getByRole('button', { name: 'Turn camera on' }).click();
      await page.getByRole('alert').filter({ hasText: 'use your microphone and camera' }).waitFor();
      expect(await page.getByText('Camera not working').isVisible()).toBe(true);
      expect(await page.getByText('Others will see your name, not you.').isVisible()).toBe(true);

      // The person allows the microphone and camera in the browser's settings, then presses Try again.
      await context.grantPermissions(['camera', 'microphone']);
      await page.getByRole('button', { name: 'Try again' }).click();
      await page.getByRole('meter', { name: 'Microphone level' }).waitFor();
      await waitForPreviewFrames(page);
      expect(await page.getByRole('button', { name: 'Try again' }).count()).toBe(0);
    });

    it('still lets the person join, to listen and write', async () => {
      const context = await blocking.newPerson({ viewport: PHONE, allowMedia: false });
      cleanup(() => context.close());
      const robin = await openPreJoin(context);
      await robin.page.getByRole('button', { name: 'Try again' }).waitFor();
      await robin.join('Robin');
      await robin.page.getByRole('tablist').or(robin.page.getByRole('textbox', { name: 'Shared notes' })).first().waitFor();
      await robin.page.getByRole('button', { name: 'Leave meeting' }).click();
    });
  });

  /** The sources (camera, microphone…) a participant of the meeting's LiveKit room publishes, by name. */
  async function publishedSources(name: string): Promise<TrackSource[]> {
    const keys = JSON.parse(readFileSync(join(server.dataDir, 'livekit', 'keys.json'), 'utf8')) as { apiKey: string; apiSecret: string };
    const rooms = new RoomServiceClient(`http://127.0.0.1:${liveKitPort}`, keys.apiKey, keys.apiSecret);
    const sources: TrackSource[] = [];
    for (const room of await rooms.listRooms()) {
      for (const participant of await rooms.listParticipants(room.name)) {
        if (participant.name === name) sources.push(...participant.tracks.map((t) => t.source));
      }
    }
    return sources;
  }
});

/** Whether this page load ever asked the browser for a camera. */
async function askedForCamera(page: Page): Promise<boolean> {
  return (await mediaRequests(page)).some((request) => request.video);
}

/** Resolves once the camera preview is playing real frames. */
async function waitForPreviewFrames(page: Page): Promise<void> {
  await page.waitForFunction(
    () => {
      const video = document.querySelector<HTMLVideoElement>('video[aria-label="Your camera preview"]');
      return video !== null && video.videoWidth > 0 && video.getVideoPlaybackQuality().totalVideoFrames > 3;
    },
    undefined,
    { timeout: 20_000, polling: 200 },
  );
}
