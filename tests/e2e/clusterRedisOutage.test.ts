import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, type TestBrowser } from '../helpers/browser.ts';
import { startMediaCluster, type MediaCluster, type MediaInstance } from '../helpers/mediaCluster.ts';
import { MeetingPage } from '../helpers/meetingPage.ts';
import { addUser, PASSWORD, seedNetwork, type SeededNetwork } from '../helpers/seed.ts';
import { roomNameFor } from '../../shared/media/rooms.ts';

const LAPTOP = { width: 1440, height: 900 };
const PHONE = { width: 360, height: 640 };
const LIVEKIT = { timeout: 60_000 };

/**
 * Redis stopped and started again under a meeting of the cluster `npm run cluster` runs (three instances
 * behind HAProxy, two LiveKit nodes; tests/helpers/mediaCluster.ts). Sam's join is answered by instance 1
 * and Alex's by instance 2, so their signalling goes to different nodes and their video crosses the nodes
 * through Redis. What degrades, what does not, and that it comes back (README, "Several instances").
 */
describe('Redis down and back under a meeting across two LiveKit nodes', () => {
  let cluster: MediaCluster;
  let browser: TestBrowser;
  let seeded: SeededNetwork;
  let sam: MeetingPage;
  let alex: MeetingPage;

  /** Sam and Alex in the meeting, each seeing the other's video across the two nodes. */
  async function meetAcrossNodes(): Promise<void> {
    const [one, two] = instancesOf(cluster);
    // Each person's page and join answered by one instance (the others drained in HAProxy), as in clusterVideo.test.ts.
    await cluster.answerOnlyFrom(one.instance);
    sam = await MeetingPage.open(await browser.newPerson({ viewport: PHONE }), `${cluster.haproxy.url}${new URL(seeded.inviteUrl).pathname}`);
    await sam.chooseFirstMeeting();
    await sam.join('Sam');
    await sam.openTab('Video');
    await expect.poll(() => participants(cluster, one.liveKitPort, seeded.meetingId), LIVEKIT).toEqual('Sam');
    await cluster.answerOnlyFrom(two.instance);
    alex = await MeetingPage.open(await browser.newPerson({ viewport: LAPTOP }), `${cluster.haproxy.url}/login`);
    await alex.loginAndOpenMeeting('alex@team.org', PASSWORD, 'Jo');
    await alex.join('Alex');
    await expect.poll(() => participants(cluster, two.liveKitPort, seeded.meetingId), LIVEKIT).toEqual('Alex,Sam');
    await cluster.answerOnlyFrom(undefined);
    await sam.waitForRemoteVideoPlaying(LIVEKIT.timeout);
    await alex.waitForRemoteVideoPlaying(LIVEKIT.timeout);
  }

  beforeAll(async () => {
    cluster = await startMediaCluster();
    const [one] = instancesOf(cluster);
    await addUser(one.instance.dataDir, 'alex@team.org', { name: 'Alex', role: 'practitioner' });
    seeded = await seedNetwork(one.instance.dataDir, { team: ['alex@team.org'], personName: 'Jo', memberName: 'Sam' });
    browser = await launchBrowser();
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await cluster?.dispose();
  });

  it('keeps the meeting going while Redis is down, and has video across the nodes again once it is back', async () => {
    await meetAcrossNodes();
    cluster.redis.pause();
    try {
      // Redis carries LiveKit's room placement and the signalling bridge between nodes, not the shared space.
      expect((await fetch(`${cluster.haproxy.url}/healthz`)).status).toBe(200);
      for (const { instance } of cluster.instances) expect((await fetch(`${instance.url}/healthz`)).status).toBe(200);
      await sam.typeInNotes(' Written while Redis was down.');
      await expect.poll(() => alex.notes.textContent(), LIVEKIT).toContain('Written while Redis was down.');
      // What degrades: LiveKit cannot place a room or reach one through another node, so no meeting's video can
      // start, and video already running drops to "Reconnecting…" once the bridge between the nodes fails.
      for (const port of cluster.liveKitPorts) await expect(cluster.roomService(port).createRoom({ name: `during-outage-${port}` })).rejects.toThrow();
      // Kept down until the running video has dropped, so that what follows shows it coming back.
      await expect.poll(async () => (await sam.page.getByText('Reconnecting…').count()) + (await alex.page.getByText('Reconnecting…').count()), LIVEKIT).toBeGreaterThan(0);
      await sam.page.screenshot({ path: 'test-results/screenshots/cluster-redis-down-phone.png' });
      await alex.page.screenshot({ path: 'test-results/screenshots/cluster-redis-down-desktop.png' });
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
    await expect.poll(() => Promise.all(cluster.liveKitPorts.map((port) => participants(cluster, port, seeded.meetingId).catch(() => 'unreachable'))), LIVEKIT).toEqual(['Alex,Sam', 'Alex,Sam']);
    // And new meetings' rooms can be placed again, from either node, once the nodes have reported themselves
    // available to the restarted Redis (every few seconds).
    for (const port of cluster.liveKitPorts) {
      const name = `after-outage-${port}`;
      await expect.poll(() => cluster.roomService(port).createRoom({ name }).then((room) => room.name, (error: unknown) => String(error)), LIVEKIT).toBe(name);
    }
    // What each person sees: the video back, and no "Reconnecting…" left on the screen.
    const reconnectingAfter = performance.now();
    await expect.poll(async () => (await sam.page.getByText('Reconnecting…').count()) + (await alex.page.getByText('Reconnecting…').count()), LIVEKIT).toBe(0);
    console.log(`"Reconnecting…" gone from both screens ${Math.round(performance.now() - reconnectingAfter)} ms after the video was back`);
    await sam.page.screenshot({ path: 'test-results/screenshots/cluster-after-redis-restart-phone.png' });
    await alex.page.screenshot({ path: 'test-results/screenshots/cluster-after-redis-restart-desktop.png' });
  });
});

function instancesOf(cluster: MediaCluster): [MediaInstance, MediaInstance] {
  const [one, two] = cluster.instances;
  if (!one || !two) throw new Error('the cluster has fewer than two instances');
  return [one, two];
}

/** The names of the meeting room's participants as the node at `port` sees them, sorted and joined. */
async function participants(cluster: MediaCluster, port: number, meetingId: string): Promise<string> {
  const list = await cluster.roomService(port).listParticipants(roomNameFor(meetingId)).catch(() => []);
  return list.map((participant) => participant.name).sort().join(',');
}
