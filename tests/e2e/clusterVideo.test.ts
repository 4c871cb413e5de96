import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { RoomServiceClient } from 'livekit-server-sdk';
import type { BrowserContext } from 'playwright-core';
import { redisOptionsFor } from '../../server/cluster/redisConnection.ts';
import { parseRedisUrl } from '../../server/cluster/redisUrl.ts';
import { roomNameFor } from '../../shared/media/rooms.ts';
import { seriousAxeViolations } from '../helpers/axe.ts';
import { launchBrowser, type TestBrowser } from '../helpers/browser.ts';
import { startTestCluster, type ClusterInstance, type TestCluster } from '../helpers/clusterInstances.ts';
import { MeetingPage } from '../helpers/meetingPage.ts';
import { addUser, PASSWORD, seedNetwork, type SeededNetwork } from '../helpers/seed.ts';

const LAPTOP = { width: 1440, height: 900 };
const PHONE = { width: 360, height: 640 };
const LIVEKIT = { timeout: 60_000 };

/**
 * Two Polyphony instances on one PostgreSQL and one Redis, each with its own embedded LiveKit node in
 * LiveKit's distributed mode. Sam joins through instance 1 and its node, Alex through instance 2 and the
 * other node; they see each other's video, which only works if the nodes share the room through Redis.
 * Both sync sockets go to instance 1: routing a document's sockets to one instance is the load balancer's
 * job (README, "Several instances"), not this test's.
 */
describe('two instances, two LiveKit nodes, one meeting', () => {
  let cluster: TestCluster;
  let browser: TestBrowser;
  let seeded: SeededNetwork;
  let sam: MeetingPage; // network member, phone, through instance 1
  let alex: MeetingPage; // practitioner, laptop, through instance 2
  const signalUrls = { sam: [] as string[], alex: [] as string[] };

  beforeAll(async () => {
    cluster = await startTestCluster(2);
    const [one, two] = instancesOf(cluster);
    await addUser(one.server.dataDir, 'alex@team.org', { name: 'Alex', role: 'practitioner' });
    seeded = await seedNetwork(one.server.dataDir, { team: ['alex@team.org'], personName: 'Jo', memberName: 'Sam' });
    browser = await launchBrowser();
    const samContext = await browser.newPerson({ viewport: PHONE });
    const alexContext = await syncingThrough(await browser.browser.newContext({ viewport: LAPTOP, bypassCSP: true }), one.server.url);
    await alexContext.grantPermissions(['camera', 'microphone']);
    sam = await MeetingPage.open(samContext, `${one.server.url}${new URL(seeded.inviteUrl).pathname}`);
    alex = await MeetingPage.open(alexContext, `${two.server.url}/login`);
    sam.page.on('websocket', (ws) => void signalUrls.sam.push(ws.url()));
    alex.page.on('websocket', (ws) => void signalUrls.alex.push(ws.url()));
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await cluster?.dispose();
  });

  it('shows each person the other\'s video, though their signalling went through different LiveKit nodes', async () => {
    const [one, two] = instancesOf(cluster);
    await sam.chooseFirstMeeting();
    await sam.join('Sam');
    await alex.loginAndOpenMeeting('alex@team.org', PASSWORD, 'Jo');
    await alex.join('Alex');
    await sam.openTab('Video');
    await alex.openTab('Video');
    await sam.waitForRemoteVideoPlaying(LIVEKIT.timeout);
    await alex.waitForRemoteVideoPlaying(LIVEKIT.timeout);
    await sam.markRemoteFrames();
    await alex.markRemoteFrames();
    await sam.waitForFreshRemoteFrames(1, LIVEKIT);
    await alex.waitForFreshRemoteFrames(1, LIVEKIT);

    // Each browser's signalling went to its own instance's node, and to no other.
    expect(rtcPorts(signalUrls.sam)).toEqual([one.liveKitPort]);
    expect(rtcPorts(signalUrls.alex)).toEqual([two.liveKitPort]);
    // Two nodes registered in the one Redis; each sees both participants of the one room.
    const redis = new Redis({ ...redisOptionsFor(parseRedisUrl(cluster.redis.url)), lazyConnect: true });
    try {
      await redis.connect();
      expect(await redis.hlen('nodes')).toBe(2);
    } finally {
      redis.disconnect();
    }
    for (const instance of [one, two]) {
      const participants = await roomService(cluster, instance).listParticipants(roomNameFor(seeded.meetingId));
      expect(participants.map((p) => p.name).sort()).toEqual(['Alex', 'Sam']);
    }
    await sam.page.screenshot({ path: 'test-results/screenshots/clusterVideo-sam-phone.png' });
    await alex.page.screenshot({ path: 'test-results/screenshots/clusterVideo-alex-desktop.png' });
    for (const page of [sam.page, alex.page]) expect(await seriousAxeViolations(page)).toEqual([]);
  });

  it('lets both co-edit the notes', async () => {
    await sam.typeInNotes('Sam wrote this through instance one.');
    await expect.poll(() => alex.notes.textContent(), LIVEKIT).toContain('Sam wrote this through instance one.');
    await alex.typeInNotes(' Alex answered.');
    await expect.poll(() => sam.notes.textContent(), LIVEKIT).toContain('Alex answered.');
  });

  it('keeps the meeting going while Redis is down, and has video across the nodes again once it is back', async () => {
    const [one, two] = instancesOf(cluster);
    cluster.redis.pause();
    try {
      // Redis carries LiveKit's room placement and the signalling bridge between nodes, not the shared space.
      for (const instance of [one, two]) expect((await fetch(`${instance.server.url}/healthz`)).status).toBe(200);
      await sam.typeInNotes(' Written while Redis was down.');
      await expect.poll(() => alex.notes.textContent(), LIVEKIT).toContain('Written while Redis was down.');
      // What degrades: LiveKit cannot place a room or reach one through another node, so no meeting's video can
      // start, and video already running drops to "Reconnecting…" once the bridge between the nodes fails.
      for (const instance of [one, two]) await expect(roomService(cluster, instance).createRoom({ name: `during-outage-${instance.liveKitPort}` })).rejects.toThrow();
      // Kept down until the running video has dropped, so that what follows shows it coming back.
      await expect.poll(async () => (await sam.page.getByText('Reconnecting…').count()) + (await alex.page.getByText('Reconnecting…').count()), LIVEKIT).toBeGreaterThan(0);
      await alex.page.screenshot({ path: 'test-results/screenshots/clusterVideo-redis-down-desktop.png' });
    } finally {
      cluster.redis.resume();
    }
    await sam.openTab('Video');
    await alex.openTab('Video');
    await sam.markRemoteFrames();
    await alex.markRemoteFrames();
    await sam.waitForFreshRemoteFrames(1, LIVEKIT);
    await alex.waitForFreshRemoteFrames(1, LIVEKIT);
    // Both nodes are back in Redis and each sees both participants again.
    await expect.poll(async () => {
      const names = await Promise.all([one, two].map((instance) => roomService(cluster, instance).listParticipants(roomNameFor(seeded.meetingId)).then((ps) => ps.map((p) => p.name).sort().join(','), () => 'unreachable')));
      return names;
    }, LIVEKIT).toEqual(['Alex,Sam', 'Alex,Sam']);
    // And new meetings' rooms can be placed again, from either node, once the nodes have reported themselves
    // available to the restarted Redis (every few seconds).
    for (const instance of [one, two]) {
      const name = `after-outage-${instance.liveKitPort}`;
      await expect.poll(() => roomService(cluster, instance).createRoom({ name }).then((room) => room.name, (error: unknown) => String(error)), LIVEKIT).toBe(name);
    }
    await alex.page.screenshot({ path: 'test-results/screenshots/clusterVideo-after-redis-restart-desktop.png' });
  });
});

function instancesOf(cluster: TestCluster): [ClusterInstance, ClusterInstance] {
  const [one, two] = cluster.instances;
  if (!one || !two) throw new Error('the cluster has fewer than two instances');
  return [one, two];
}

function roomService(cluster: TestCluster, instance: ClusterInstance): RoomServiceClient {
  return new RoomServiceClient(`http://127.0.0.1:${instance.liveKitPort}`, cluster.liveKitKeys.apiKey, cluster.liveKitKeys.apiSecret);
}

/** The ports of the LiveKit signalling sockets a page opened (`/rtc…`), each once. */
function rtcPorts(urls: string[]): number[] {
  const ports = urls.map((raw) => new URL(raw)).filter((url) => url.pathname.startsWith('/rtc')).map((url) => Number(url.port));
  return [...new Set(ports)];
}

/**
 * Sends the page's sync sockets (`/sync/…`) to `syncOrigin` instead of its own origin. Tickets are signed
 * with the secret every instance shares, so instance 1 accepts those instance 2 issued. The page's CSP allows
 * only its own origin, hence bypassCSP on this context.
 */
async function syncingThrough(context: BrowserContext, syncOrigin: string): Promise<BrowserContext> {
  await context.addInitScript((target: string) => {
    const Native = window.WebSocket;
    class Redirected extends Native {
      constructor(url: string | URL, protocols?: string | string[]) {
        const parsed = new URL(url, location.href);
        if (parsed.pathname.startsWith('/sync/')) parsed.host = new URL(target).host;
        super(parsed, protocols);
      }
    }
    window.WebSocket = Redirected;
  }, syncOrigin);
  return context;
}
