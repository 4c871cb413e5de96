import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freeTcpPort } from '../../server/livekit/freePort.ts';
import { seriousAxeViolations } from '../helpers/axe.ts';
import { launchBrowser, type TestBrowser } from '../helpers/browser.ts';
import { cli, idOf } from '../helpers/cli.ts';
import { MeetingPage } from '../helpers/meetingPage.ts';
import { addUser, PASSWORD, seedNetwork } from '../helpers/seed.ts';
import { embeddedLiveKitEnv, startServerProcess, type ServerProcess } from '../helpers/serverProcess.ts';
import { recordCameraTracks } from '../helpers/cameraTracks.ts';

const LAPTOP = { width: 1440, height: 900 };
const PHONE = { width: 360, height: 640 };
/** The bar: remote frames play again on every screen within 10 s of the server being back. */
const BACK_WITHIN_MS = 10_000;
/** Join tokens expire 5 s after they are minted, so every recovery below happens long after they did. */
const TOKEN_TTL_S = 5;
const OFFLINE_MS = 20_000;

/**
 * Video comes back by itself after each fault, without anyone clicking: a dropped network, LiveKit
 * restarting, and the server killed with SIGKILL and started again, all with join tokens that expired
 * long before. Alex (practitioner, laptop), Sam (network member, phone) and Ivy (interpreter, laptop,
 * audio only) stay in one meeting throughout; Ivy's camera never starts.
 */
describe('video recovers by itself', () => {
  let dataDir: string;
  let env: Record<string, string>;
  let server: ServerProcess;
  let browser: TestBrowser;
  let alex: MeetingPage;
  let sam: MeetingPage;
  let ivy: MeetingPage;
  /** Each screen and how many remote videos it shows: Ivy is on audio only, so nobody sees video of her. */
  let screens: [MeetingPage, number][];
  /** How often each page has called the join API: once to join, then once more for each fresh video token. */
  const joinCalls = new Map<MeetingPage, number>();
  const joinCallsNow = () => [alex, sam, ivy].map((person) => joinCalls.get(person) ?? 0);
  /** When the last person joined: from TOKEN_TTL_S after it, every join token minted so far has expired. */
  let lastJoinAt: number;
  /** Camera tracks Ivy's page had captured when she joined (the pre-join preview's, if any). */
  let ivyCameraTracksAtJoin: number;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'polyphony-recovers-'));
    // A fixed port, so that the restarted server is where the pages expect it.
    env = { ...(await embeddedLiveKitEnv()), PORT: String(await freeTcpPort()), LIVEKIT_TOKEN_TTL_SECONDS: String(TOKEN_TTL_S) };
    server = await startServerProcess({ dataDir, env });
    await addUser(dataDir, 'alex@team.org', { name: 'Alex', role: 'practitioner' });
    const seeded = await seedNetwork(dataDir, { team: ['alex@team.org'], personName: 'Jo', memberName: 'Sam' });
    const ivyId = idOf(await cli(dataDir, ['member', 'add', '--network', seeded.networkId, '--name', 'Ivy', '--relationship', 'interpreter', '--interpreter']));
    const ivyInvite = await cli(dataDir, ['invite', 'create', '--member', ivyId, '--expires-in', '14d']);
    browser = await launchBrowser();
    const ivyContext = await browser.newPerson({ viewport: LAPTOP });
    await ivyContext.addInitScript(recordCameraTracks);
    alex = await MeetingPage.open(await browser.newPerson({ viewport: LAPTOP }), `${server.url}/login`);
    sam = await MeetingPage.open(await browser.newPerson({ viewport: PHONE }), `${server.url}${new URL(seeded.inviteUrl).pathname}`);
    ivy = await MeetingPage.open(ivyContext, `${server.url}${new URL(String(ivyInvite['url'])).pathname}`);
    if (process.env['DEBUG_PAGES']) {
      for (const [name, person] of [['alex', alex], ['sam', sam], ['ivy', ivy]] as const) {
        person.page.on('console', (m) => process.stderr.write(`[${name} ${new Date().toISOString()}] ${m.text().slice(0, 300)}\n`));
      }
    }
    for (const person of [alex, sam, ivy]) {
      person.page.on('request', (request) => {
        if (request.method() === 'POST' && /\/api\/meetings\/[^/]+\/join$/.test(request.url())) joinCalls.set(person, (joinCalls.get(person) ?? 0) + 1);
      });
    }
    screens = [
      [alex, 1],
      [sam, 1],
      [ivy, 2],
    ];

    await alex.loginAndOpenMeeting('alex@team.org', PASSWORD, 'Jo');
    await alex.join('Alex');
    await sam.chooseFirstMeeting();
    await sam.join('Sam');
    await sam.openTab('Video');
    await ivy.chooseFirstMeeting();
    await ivy.join('Ivy', { audioOnly: true });
    ivyCameraTracksAtJoin = await cameraTracks(ivy, 'all');
    lastJoinAt = performance.now();
    await expectFreshFramesEverywhere(60_000);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop('SIGTERM');
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps playing after every join token has expired (LiveKit refreshes the tokens of people in the room)', async () => {
    await delay(Math.max(0, lastJoinAt + TOKEN_TTL_S * 1000 + 1_000 - performance.now()));
    await expectFreshFramesEverywhere(BACK_WITHIN_MS);
    await expectIvyStillUnseen();
  });

  it('after 20 s offline, says "Reconnecting…" and plays again once the network is back', async () => {
    for (const person of [alex, sam]) await person.page.context().setOffline(true);
    const offlineSince = performance.now();
    for (const person of [alex, sam]) await person.page.getByText('Reconnecting…', { exact: true }).waitFor();
    await alex.screenshot('videoRecovers-reconnecting-laptop');
    await sam.screenshot('videoRecovers-reconnecting-phone');
    expect(await seriousAxeViolations(sam.page)).toEqual([]);
    expect(await seriousAxeViolations(alex.page)).toEqual([]);
    // The microphone and camera buttons keep saying what will be on once back.
    expect(await sam.page.getByRole('button', { name: 'Mute microphone' }).count()).toBe(1);
    expect(await sam.page.getByRole('button', { name: 'Turn camera off' }).count()).toBe(1);
    await delay(Math.max(0, OFFLINE_MS - (performance.now() - offlineSince)));

    for (const person of [alex, sam]) await person.page.context().setOffline(false);
    await expectFreshFramesEverywhere(BACK_WITHIN_MS);
    for (const person of [alex, sam]) await expect.poll(() => person.page.getByText('Reconnecting…', { exact: true }).count()).toBe(0);
    await expectIvyStillUnseen();
  });

  it('plays again after LiveKit is killed and restarted by the server', async () => {
    const before = liveKitPid();
    const calls = joinCallsNow();
    process.kill(before, 'SIGKILL');
    await expect.poll(() => liveKitPid() !== before && answers(`http://127.0.0.1:${env['LIVEKIT_PORT']}/`), { timeout: 30_000, interval: 100 }).toBe(true);
    await expectFreshFramesEverywhere(BACK_WITHIN_MS);
    await expectIvyStillUnseen();
    // The new LiveKit knew no room: every page came back through the join API (a room and a fresh token).
    joinCallsNow().forEach((n, i) => expect(n).toBeGreaterThan(calls[i] ?? 0));
  });

  it('plays again after the server is killed with SIGKILL and started again', async () => {
    const calls = joinCallsNow();
    await server.stop('SIGKILL');
    // Its LiveKit outlives it (nobody is left to stop it); the new server ends that one and starts its own.
    await delay(2_000);
    server = await startServerProcess({ dataDir, env });
    await expectFreshFramesEverywhere(BACK_WITHIN_MS);
    await expectIvyStillUnseen();
    joinCallsNow().forEach((n, i) => expect(n).toBeGreaterThan(calls[i] ?? 0));
    await alex.screenshot('videoRecovers-after-restart-laptop');
  });

  /** Marks now on every screen, then waits until each shows new frames on each remote video, all within `timeout`. */
  async function expectFreshFramesEverywhere(timeout: number): Promise<void> {
    for (const [person] of screens) await person.markRemoteFrames();
    const deadline = performance.now() + timeout;
    for (const [person, videos] of screens) await person.waitForFreshRemoteFrames(videos, { timeout: Math.max(1, deadline - performance.now()) });
  }

  /** Ivy chose audio only: her camera is not on nor captured anew, and the others see "on audio only". */
  async function expectIvyStillUnseen(): Promise<void> {
    expect(await cameraTracks(ivy, 'all')).toBe(ivyCameraTracksAtJoin);
    await expect.poll(() => cameraTracks(ivy, 'live')).toBe(0);
    expect(await ivy.page.getByRole('button', { name: 'Turn camera on' }).count()).toBe(1);
    const ivyTile = alex.page.locator('figure.tile[data-role="interpreter"]');
    await expect.poll(() => ivyTile.locator('figcaption').textContent(), { timeout: 30_000 }).toMatch(/on audio only/);
    expect(await ivyTile.locator('video').count()).toBe(0);
  }

  function liveKitPid(): number {
    return Number(readFileSync(join(dataDir, 'livekit', 'livekit.pid'), 'utf8').trim());
  }
});

/** Camera tracks the page captured: all of them, or those still capturing. */
async function cameraTracks(person: MeetingPage, which: 'all' | 'live'): Promise<number> {
  return person.page.evaluate((which) => {
    const tracks = (window as unknown as { __cameraTracks?: MediaStreamTrack[] }).__cameraTracks ?? [];
    return which === 'all' ? tracks.length : tracks.filter((t) => t.readyState === 'live').length;
  }, which);
}

async function answers(url: string): Promise<boolean> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(1_000) });
    await res.body?.cancel();
    return res.ok;
  } catch {
    return false;
  }
}

