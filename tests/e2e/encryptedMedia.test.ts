import { mkdtempSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type * as LiveKit from 'livekit-client';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MediaKeyResponse, type MediaKey } from '../../shared/api/meetings.ts';
import { seriousAxeViolations } from '../helpers/axe.ts';
import { launchBrowser, type TestBrowser } from '../helpers/browser.ts';
import { HttpSession } from '../helpers/httpSession.ts';
import { joinAsNewMember } from '../helpers/joinAsNewMember.ts';
import { MeetingPage, meetOnVideo } from '../helpers/meetingPage.ts';
import { addUser, PASSWORD, seedNetwork, type SeededNetwork } from '../helpers/seed.ts';
import { embeddedLiveKitEnv, startServerProcess, type ServerProcess } from '../helpers/serverProcess.ts';
import { writeSpeechLikeWav } from './speechLikeAudio.ts';

// The package's exports hide its UMD builds; they sit beside the entry point.
const livekitDist = dirname(createRequire(import.meta.url).resolve('livekit-client'));
const livekitUmd = readFileSync(join(livekitDist, 'livekit-client.umd.js'), 'utf8');
const e2eeWorker = readFileSync(join(livekitDist, 'livekit-client.e2ee.worker.js'), 'utf8');
const LIVEKIT = { timeout: 30_000 };
const PHONE = { width: 360, height: 640 };
const LAPTOP = { width: 1440, height: 900 };

/**
 * End-to-end encrypted media over the real server, real LiveKit and Chromium. Sam (network member, phone)
 * and Alex (practitioner, laptop, a microphone that "speaks") see and hear each other encrypted. A bare
 * LiveKit client with a valid LiveKit token but not the meeting's key (what the LiveKit operator could make)
 * receives their tracks and decodes nothing; the same client with the key decodes them (so the measure can
 * fail). After Sam's invite is revoked the key changes, and the key Sam had decodes nothing sent after.
 */
describe('media is end-to-end encrypted in every meeting', () => {
  let server: ServerProcess;
  let browser: TestBrowser;
  let talkingBrowser: TestBrowser;
  let seeded: SeededNetwork;
  let alex: MeetingPage;
  let sam: MeetingPage;
  let team: HttpSession;

  beforeAll(async () => {
    server = await startServerProcess({ env: await embeddedLiveKitEnv() });
    await addUser(server.dataDir, 'alex@team.org', { name: 'Alex', role: 'practitioner' });
    seeded = await seedNetwork(server.dataDir, { team: ['alex@team.org'], personName: 'Jo', memberName: 'Sam' });
    browser = await launchBrowser();
    const audioDir = mkdtempSync(join(tmpdir(), 'polyphony-audio-'));
    writeSpeechLikeWav(join(audioDir, 'speech.wav'));
    talkingBrowser = await launchBrowser({ fakeAudioFile: join(audioDir, 'speech.wav') });
    sam = await MeetingPage.open(await browser.newPerson({ viewport: PHONE }), `${server.url}${new URL(seeded.inviteUrl).pathname}`);
    alex = await MeetingPage.open(await talkingBrowser.newPerson({ viewport: LAPTOP }), `${server.url}/login`);
    team = new HttpSession(server.url);
    await team.login('alex@team.org', PASSWORD);
  }, 180_000);

  afterAll(async () => {
    await talkingBrowser?.close();
    await browser?.close();
    await server?.dispose();
  });

  it('lets the two people allowed in see and hear each other, says it is encrypted, and counts who spoke', async () => {
    await meetOnVideo(sam, alex, { email: 'alex@team.org', password: PASSWORD }, 60_000);
    expect(await remoteFrames(sam.page)).toBeGreaterThan(0);
    expect(await remoteFrames(alex.page)).toBeGreaterThan(0);
    // Alex's speech reaches Sam's speaker decrypted: a real signal, not silence.
    await expect.poll(() => remoteAudioLevel(sam.page), LIVEKIT).toBeGreaterThan(0.01);

    for (const person of [sam, alex]) {
      const note = person.page.getByText('End-to-end encrypted', { exact: true });
      await note.waitFor();
      expect(await inViewport(person.page, note)).toBe(true);
      // Opened from the keyboard, it explains in plain words.
      await note.focus();
      await person.page.keyboard.press('Enter');
      await person.page.getByText('The video server passes them on but cannot see or hear them.', { exact: false }).waitFor();
      expect(await seriousAxeViolations(person.page)).toEqual([]);
    }
    await sam.page.screenshot({ path: 'test-results/screenshots/e2ee-indicator-phone.png' });
    await alex.page.screenshot({ path: 'test-results/screenshots/e2ee-indicator-laptop.png' });
    for (const person of [sam, alex]) await person.page.getByText('End-to-end encrypted', { exact: true }).click();

    // Voices: LiveKit still tells who speaks (audio levels travel outside the encrypted payload).
    await sam.openTab('Voices');
    await expect.poll(() => secondsOf(sam.page.locator('.voice[data-name="Alex"]')), { timeout: 60_000 }).toBeGreaterThan(0);
    await sam.openTab('Video');
  });

  it('gives a client with a valid LiveKit token but without the key tracks it cannot decode (cameras, voices, a shared screen)', async () => {
    await alex.chooseFromMore('Share screen');
    await sam.page.getByText('Alex is sharing their screen').waitFor();
    const kai = await joinAsNewMember(server, seeded.networkId, seeded.meetingId, 'Kai');
    // The control: the same bare client, given the key, decodes the video and hears the voice.
    const withKey = await bareClient(await (await browser.newPerson()).newPage(), kai.url, kai.token, kai.mediaKey);
    expect(withKey.screens).toBe(1);
    expect(withKey.framesDecoded).toBeGreaterThan(0);
    expect(withKey.frames).toBeGreaterThan(0);
    expect(withKey.audioLevel).toBeGreaterThan(0.01);

    const current = await keyOfMeeting(team, seeded.meetingId);
    const wrongKey: MediaKey = { index: current.index, key: Buffer.alloc(32, 7).toString('base64url') };
    for (const key of [undefined, wrongKey]) {
      const without = await bareClient(await (await browser.newPerson()).newPage(), kai.url, kai.token, key);
      // The tracks arrive (the screen too), packets and all; not one frame decodes, and the voices are silence.
      expect(without.tracks).toBe(withKey.tracks);
      expect(without.screens).toBe(1);
      expect(without.packetsReceived).toBeGreaterThan(0);
      expect(without.framesDecoded).toBe(0);
      expect(without.frames).toBe(0);
      expect(without.audioLevel).toBeLessThan(0.001);
    }
    await alex.chooseFromMore('Stop sharing screen');
  });

  it('changes the key when someone is revoked, and the key they had decodes nothing sent after', async () => {
    await sam.waitForRemoteVideoPlaying();
    const samSession = HttpSession.forInvite(server.url, seeded.inviteUrl);
    const samKey = MediaKeyResponse.parse(await samSession.json('GET', `/api/meetings/${seeded.meetingId}/media-key`)).mediaKey;
    // Sam's own browser holds that key (it asks again whenever the key changes).
    await expect.poll(() => keyIndexShown(sam.page), LIVEKIT).toBe(samKey.index);

    expect((await team.request('DELETE', `/api/invites/${seeded.inviteId}`)).status).toBe(200);
    // Alex's browser moves on to a newer key; Sam can no longer ask for one.
    await expect.poll(() => keyIndexShown(alex.page), LIVEKIT).toBeGreaterThan(samKey.index);
    expect((await samSession.request('GET', `/api/meetings/${seeded.meetingId}/media-key`)).status).toBe(401);

    const lee = await joinAsNewMember(server, seeded.networkId, seeded.meetingId, 'Lee');
    const withSamsKey = await bareClient(await (await browser.newPerson()).newPage(), lee.url, lee.token, samKey);
    expect(withSamsKey.tracks).toBeGreaterThan(0);
    expect(withSamsKey.packetsReceived).toBeGreaterThan(0);
    expect(withSamsKey.framesDecoded).toBe(0);
    // The control: the key the team holds now decodes the same video.
    const withCurrent = await bareClient(await (await browser.newPerson()).newPage(), lee.url, lee.token, await keyOfMeeting(team, seeded.meetingId));
    expect(withCurrent.framesDecoded).toBeGreaterThan(0);
  });
});

/** The meeting's current media key, as a team member's browser asks for it. */
async function keyOfMeeting(session: HttpSession, meetingId: string): Promise<MediaKey> {
  return MediaKeyResponse.parse(await session.json('GET', `/api/meetings/${meetingId}/media-key`)).mediaKey;
}

/**
 * LiveKit's own client on a bare page, end-to-end encryption on as the app has it (AES-256, keys by index),
 * given `mediaKey` or no key at all. Stays 8 s, subscribed to everything. `tracks`: remote tracks received;
 * `packetsReceived` and `framesDecoded`: from the video receivers' stats; `frames`: video frames the page's
 * video elements presented.
 */
async function bareClient(page: Page, url: string, token: string, mediaKey: MediaKey | undefined) {
  // WebCrypto needs a secure context (about:blank is not one): LiveKit's own plain page on loopback is.
  await page.goto(url.replace(/^ws/, 'http'));
  await page.evaluate(livekitUmd);
  const result = await page.evaluate(
    async ({ url, token, mediaKey, workerSource }) => {
      const lk = (window as unknown as { LivekitClient: typeof LiveKit }).LivekitClient;
      const keyProvider = new lk.BaseKeyProvider({ sharedKey: true, ratchetWindowSize: 0, failureTolerance: -1, keyringSize: 16, keySize: 256 });
      const worker = new Worker(URL.createObjectURL(new Blob([workerSource], { type: 'text/javascript' })));
      const room = new lk.Room({ e2ee: { keyProvider, worker } });
      if (mediaKey) {
        const bytes = Uint8Array.from(atob(mediaKey.key.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0));
        const material = await lk.createKeyMaterialFromBuffer(bytes.buffer);
        // onSetEncryptionKey is protected in the typings; the app's provider calls it the same way.
        (keyProvider as unknown as { onSetEncryptionKey(k: CryptoKey, p: undefined, i: number): void }).onSetEncryptionKey(material, undefined, mediaKey.index % 16);
      }
      await room.setE2EEEnabled(true);
      const tracks: LiveKit.RemoteTrack[] = [];
      let screens = 0;
      room.on(lk.RoomEvent.TrackSubscribed, (track, publication) => {
        tracks.push(track);
        if (publication.source === lk.Track.Source.ScreenShare) screens += 1;
        document.body.append(track.attach());
      });
      await room.connect(url, token, { rtcConfig: { iceServers: [] } });
      await new Promise((done) => setTimeout(done, 7_000));
      // The loudest RMS level over the last second of every voice received (0 for silence).
      const context = new AudioContext();
      const analysers = tracks
        .filter((t) => t.kind === lk.Track.Kind.Audio)
        .map((t) => {
          const analyser = context.createAnalyser();
          context.createMediaStreamSource(new MediaStream([t.mediaStreamTrack])).connect(analyser);
          return analyser;
        });
      let audioLevel = 0;
      const samples = new Float32Array(2048);
      for (let i = 0; i < 10; i++) {
        await new Promise((done) => setTimeout(done, 100));
        for (const analyser of analysers) {
          analyser.getFloatTimeDomainData(samples);
          audioLevel = Math.max(audioLevel, Math.sqrt(samples.reduce((sum, x) => sum + x * x, 0) / samples.length));
        }
      }
      let packetsReceived = 0;
      let framesDecoded = 0;
      for (const track of tracks) {
        if (track.kind !== lk.Track.Kind.Video) continue;
        const report = await track.getRTCStatsReport();
        report?.forEach((stat: { type: string; packetsReceived?: number; framesDecoded?: number }) => {
          if (stat.type !== 'inbound-rtp') return;
          packetsReceived += stat.packetsReceived ?? 0;
          framesDecoded += stat.framesDecoded ?? 0;
        });
      }
      const frames = [...document.querySelectorAll('video')].reduce((sum, v) => sum + v.getVideoPlaybackQuality().totalVideoFrames, 0);
      await room.disconnect();
      return { tracks: tracks.length, screens, packetsReceived, framesDecoded, frames, audioLevel };
    },
    { url, token, mediaKey, workerSource: e2eeWorker },
  );
  await page.context().close();
  return result;
}

/** Video frames decoded so far by every remote video on the page. */
function remoteFrames(page: Page): Promise<number> {
  return page.evaluate(() => [...document.querySelectorAll<HTMLVideoElement>('video[data-remote]')].reduce((sum, v) => sum + v.getVideoPlaybackQuality().totalVideoFrames, 0));
}

/** The loudest RMS level over a second of the remote audio the page plays (0 for silence). */
function remoteAudioLevel(page: Page): Promise<number> {
  return page.evaluate(async () => {
    const streams = [...document.querySelectorAll('audio')].map((a) => a.srcObject).filter((s): s is MediaStream => s instanceof MediaStream);
    const context = new AudioContext();
    const analysers = streams.map((stream) => {
      const analyser = context.createAnalyser();
      context.createMediaStreamSource(stream).connect(analyser);
      return analyser;
    });
    let loudest = 0;
    const samples = new Float32Array(2048);
    for (let i = 0; i < 10; i++) {
      await new Promise((done) => setTimeout(done, 100));
      for (const analyser of analysers) {
        analyser.getFloatTimeDomainData(samples);
        loudest = Math.max(loudest, Math.sqrt(samples.reduce((sum, s) => sum + s * s, 0) / samples.length));
      }
    }
    await context.close();
    return loudest;
  });
}

/** The media key index the page's "End-to-end encrypted" line says is in use (-1 while it is not shown). */
async function keyIndexShown(page: Page): Promise<number> {
  const note = page.locator('.encryption-note');
  if ((await note.count()) === 0) return -1;
  return Number((await note.getAttribute('data-key-index')) ?? -1);
}

async function inViewport(page: Page, locator: ReturnType<Page['locator']>): Promise<boolean> {
  const box = await locator.boundingBox();
  const viewport = page.viewportSize();
  if (!box || !viewport) return false;
  return box.x >= 0 && box.y >= 0 && box.x + box.width <= viewport.width && box.y + box.height <= viewport.height && box.width > 0;
}

async function secondsOf(voice: ReturnType<Page['locator']>): Promise<number> {
  return Number((await voice.getAttribute('data-seconds')) ?? 0);
}
