import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import type { Page } from 'playwright-core';
import { INSTANCE_HEADER } from '../../server/app.ts';
import { redisOptionsFor } from '../../server/cluster/redisConnection.ts';
import { parseRedisUrl } from '../../server/cluster/redisUrl.ts';
import { JoinMeetingResponse } from '../../shared/api/meetings.ts';
import { roomNameFor } from '../../shared/media/rooms.ts';
import { SYNC_CLOSE, SYNC_CLOSE_REASON } from '../../shared/protocol/sync.ts';
import { seriousAxeViolations } from '../helpers/axe.ts';
import { launchBrowser, type TestBrowser } from '../helpers/browser.ts';
import { HttpSession } from '../helpers/httpSession.ts';
import { startMediaCluster, type MediaCluster, type MediaInstance } from '../helpers/mediaCluster.ts';
import { MeetingPage } from '../helpers/meetingPage.ts';
import { addUser, PASSWORD, seedNetwork, type SeededNetwork } from '../helpers/seed.ts';
import { detourNextSyncSocket, syncSocketsOf, watchSyncSockets, type SyncSocketRecord } from '../helpers/syncSocketWatch.ts';

const LAPTOP = { width: 1440, height: 900 };
const PHONE = { width: 360, height: 640 };
const LIVEKIT = { timeout: 60_000 };
const SYNC = { timeout: 20_000 };

/** What a join answered, and which instance answered it. */
interface AnsweredJoin {
  instance: string | null;
  body: JoinMeetingResponse;
}

/**
 * The cluster as `npm run cluster` runs it: three instances on one PostgreSQL and one Redis behind HAProxy
 * with the shipped configuration; instances 1 and 2 each run a LiveKit node in LiveKit's distributed mode,
 * instance 3 uses node 1. Sam (phone, by invite) and Alex (practitioner, laptop) open their pages through
 * HAProxy; an operator's drain (HAProxy's runtime API) makes instance 2 serve Sam's page, instance 1 answer
 * Sam's join and instance 2 Alex's, so their signalling goes to different nodes. Their shared-space sockets go through
 * HAProxy to the one instance that owns each document (README, "Several instances").
 */
describe('three instances behind HAProxy, two LiveKit nodes, one meeting', () => {
  let cluster: MediaCluster;
  let browser: TestBrowser;
  let seeded: SeededNetwork;
  let sam: MeetingPage;
  let alex: MeetingPage;
  let samJoin: Promise<AnsweredJoin>;
  let alexJoin: Promise<AnsweredJoin>;
  const signalUrls = { sam: [] as string[], alex: [] as string[] };

  beforeAll(async () => {
    const started = performance.now();
    cluster = await startMediaCluster();
    const [one] = instancesOf(cluster);
    await addUser(one.instance.dataDir, 'alex@team.org', { name: 'Alex', role: 'practitioner' });
    seeded = await seedNetwork(one.instance.dataDir, { team: ['alex@team.org'], personName: 'Jo', memberName: 'Sam' });
    browser = await launchBrowser();
    const samContext = await browser.newPerson({ viewport: PHONE });
    // Alex's page can be told to send one socket straight to an instance (the routing test): CSP allows only its own origin.
    const alexContext = await browser.browser.newContext({ viewport: LAPTOP, bypassCSP: true });
    await alexContext.grantPermissions(['camera', 'microphone']);
    for (const context of [samContext, alexContext]) await watchSyncSockets(context);
    sam = new MeetingPage(await samContext.newPage());
    alex = new MeetingPage(await alexContext.newPage());
    sam.page.on('websocket', (ws) => void signalUrls.sam.push(ws.url()));
    alex.page.on('websocket', (ws) => void signalUrls.alex.push(ws.url()));
    samJoin = joinAnswerOf(sam.page);
    alexJoin = joinAnswerOf(alex.page);
    console.log(`cluster, seed and browser ready in ${Math.round(performance.now() - started)} ms`);
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await cluster?.dispose();
  });

  it('lets two people whose joins different instances answered, on different LiveKit nodes, co-edit and see each other', async () => {
    const [one, two] = instancesOf(cluster);
    const front = cluster.haproxy.url;
    // Sam's page comes from instance 2 and the join from instance 1: the page's CSP must let it reach node 1.
    await cluster.answerOnlyFrom(two.instance);
    const samPage = await sam.page.goto(`${front}${new URL(seeded.inviteUrl).pathname}`);
    await sam.page.getByRole('button', { name: 'Join this meeting' }).first().waitFor();
    await cluster.answerOnlyFrom(one.instance);
    await sam.chooseFirstMeeting();
    await sam.join('Sam');
    // Instance 1 stays the only one answering until Sam's browser has reached the node its join named.
    await expect.poll(() => rtcPorts(signalUrls.sam).length, LIVEKIT).toBeGreaterThan(0);
    await cluster.answerOnlyFrom(two.instance);
    await alex.page.goto(`${front}/login`);
    await alex.loginAndOpenMeeting('alex@team.org', PASSWORD, 'Jo');
    await alex.join('Alex');
    await expect.poll(() => rtcPorts(signalUrls.alex).length, LIVEKIT).toBeGreaterThan(0);
    await cluster.answerOnlyFrom(undefined);

    // Which instance answered each join, by the header every instance sends, and where each browser signalled.
    expect(samPage?.headers()[INSTANCE_HEADER.toLowerCase()]).toBe(two.instance.instanceId());
    expect((await samJoin).instance).toBe(one.instance.instanceId());
    expect((await alexJoin).instance).toBe(two.instance.instanceId());
    expect(rtcPorts(signalUrls.sam)).toEqual([one.liveKitPort]);
    expect(rtcPorts(signalUrls.alex)).toEqual([two.liveKitPort]);
    expect(one.liveKitPort).not.toBe(two.liveKitPort);

    await sam.openTab('Video');
    await alex.openTab('Video');
    await sam.waitForRemoteVideoPlaying(LIVEKIT.timeout);
    await alex.waitForRemoteVideoPlaying(LIVEKIT.timeout);
    await sam.markRemoteFrames();
    await alex.markRemoteFrames();
    await sam.waitForFreshRemoteFrames(1, LIVEKIT);
    await alex.waitForFreshRemoteFrames(1, LIVEKIT);
    await sam.page.screenshot({ path: 'test-results/screenshots/cluster-video-sam-phone.png' });

    // Two nodes registered in the one Redis; each sees both participants of the one room.
    const redis = new Redis({ ...redisOptionsFor(parseRedisUrl(cluster.redis.url)), lazyConnect: true });
    try {
      await redis.connect();
      expect(await redis.hlen('nodes')).toBe(2);
    } finally {
      redis.disconnect();
    }
    for (const port of cluster.liveKitPorts) expect(await participantNames(cluster, port, seeded.meetingId)).toEqual(['Alex', 'Sam']);

    // Both pages opened their shared-space sockets through HAProxy, which sent each document's to its owner.
    const { sync } = (await samJoin).body;
    for (const page of [sam.page, alex.page]) expect(new Set((await syncSocketsOf(page)).map((socket) => socket.host))).toEqual(new Set([new URL(front).host]));
    const owner = await cluster.ownerOf(sync.docName);
    expect(owner).toBeDefined();
    console.log(`meeting document held by ${owner?.name}; sync sockets per instance: ${JSON.stringify(await cluster.syncConnections())}`);

    await sam.typeInNotes('Sam wrote this on the phone.');
    await expect.poll(() => alex.notes.textContent(), SYNC).toContain('Sam wrote this on the phone.');
    await alex.typeInNotes(' Alex answered from the laptop.');
    await expect.poll(() => sam.notes.textContent(), SYNC).toContain('Alex answered from the laptop.');
    // What each person sees: the other's words in the notes on screen, and (on the laptop) the video beside them.
    for (const page of [sam.page, alex.page]) await expectInViewport(page, page.getByText('Alex answered from the laptop.'));
    await expectInViewport(sam.page, sam.page.getByText('Sam wrote this on the phone.'));
    await sam.page.screenshot({ path: 'test-results/screenshots/cluster-notes-sam-phone.png' });
    await alex.page.screenshot({ path: 'test-results/screenshots/cluster-notes-and-video-alex-desktop.png' });
    for (const page of [sam.page, alex.page]) expect(await seriousAxeViolations(page)).toEqual([]);
  });

  it('refuses a socket sent straight to an instance that does not hold the document (4503), and brings everyone back to its owner through HAProxy', async () => {
    const { sync } = (await samJoin).body;
    const owner = await cluster.ownerOf(sync.docName);
    const stray = cluster.instances.map(({ instance }) => instance).find((instance) => instance !== owner);
    if (!owner || !stray) throw new Error('the meeting document has no owner, or no other instance');
    const detouredAt = Date.now();
    await detourNextSyncSocket(alex.page, sync.docName, new URL(stray.url).host);

    // The stray instance refuses it and asks the owner for the document (it marks it wanted).
    const refused = await waitForSocket(alex.page, (socket) => socket.host === new URL(stray.url).host && socket.closedAt !== undefined);
    expect({ code: refused.code, reason: refused.reason }).toEqual({ code: SYNC_CLOSE.unavailable, reason: SYNC_CLOSE_REASON.documentHeldElsewhere });
    // The owner, having held it more than 5 s, hands it over: Sam's socket is closed as moved.
    const moved = await waitForSocket(sam.page, (socket) => socket.path.endsWith(`/${sync.docName}`) && socket.code === SYNC_CLOSE.internal && (socket.closedAt ?? 0) > detouredAt);
    expect(moved.reason).toBe(SYNC_CLOSE_REASON.documentMoved);
    // Both reconnect through HAProxy, whose hash names the same instance: it claims the document again.
    await expect.poll(async () => (await cluster.ownerOf(sync.docName))?.name, SYNC).toBe(owner.name);
    const meetingSockets = async (page: Page) => (await syncSocketsOf(page)).filter((socket) => socket.path.endsWith(`/${sync.docName}`));
    for (const page of [sam.page, alex.page]) {
      await expect.poll(async () => (await meetingSockets(page)).filter((socket) => socket.closedAt === undefined).map((socket) => socket.host), SYNC).toEqual([new URL(cluster.haproxy.url).host]);
    }
    const networkOwner = await cluster.ownerOf((await samJoin).body.networkSync.docName);
    const expected = Object.fromEntries(cluster.instances.map(({ instance }) => [instance.name, (instance === owner ? 2 : 0) + (instance === networkOwner ? 2 : 0)]));
    await expect.poll(() => cluster.syncConnections(), SYNC).toEqual(expected);
    console.log(`stray socket refused ${(refused.closedAt ?? 0) - detouredAt} ms after the detour, document handed over at ${(moved.closedAt ?? 0) - detouredAt} ms, back on ${owner.name}`);

    await alex.typeInNotes(' Still together after the detour.');
    await expect.poll(() => sam.notes.textContent(), SYNC).toContain('Still together after the detour.');
    await sam.typeInNotes(' Sam too.');
    await expect.poll(() => alex.notes.textContent(), SYNC).toContain('Sam too.');
  });

  it('closes Sam\'s socket on the owner when Alex revokes Sam\'s invite through another instance, and takes Sam out of the video room', async () => {
    const { sync } = (await samJoin).body;
    const owner = await cluster.ownerOf(sync.docName);
    const through = cluster.instances.map(({ instance }) => instance).find((instance) => instance !== owner);
    if (!owner || !through) throw new Error('the meeting document has no owner, or no other instance');
    const team = new HttpSession(through.url);
    await team.login('alex@team.org', PASSWORD);
    const revokedAt = Date.now();
    const answer = await team.request('DELETE', `/api/invites/${seeded.inviteId}`);
    const answeredAt = Date.now();
    expect(answer.status).toBe(200);
    expect(answer.headers.get(INSTANCE_HEADER)).toBe(through.instanceId());

    const closed = await waitForSocket(sam.page, (socket) => socket.path.endsWith(`/${sync.docName}`) && socket.reason === SYNC_CLOSE_REASON.accessRevoked);
    expect(closed.code).toBe(SYNC_CLOSE.forbidden);
    console.log(
      `revoked through ${through.name}; Sam's socket on ${owner.name} closed ${(closed.closedAt ?? 0) - revokedAt} ms after the request was sent (${(closed.closedAt ?? 0) - answeredAt} ms after its answer)`,
    );
    await sam.page.getByRole('heading', { name: 'You are no longer in this meeting' }).waitFor();
    await expectInViewport(sam.page, sam.page.getByRole('heading', { name: 'You are no longer in this meeting' }));
    await sam.page.screenshot({ path: 'test-results/screenshots/cluster-revoked-sam-phone.png' });
    // LiveKit has taken Sam out of the room, as both nodes see it, and Alex sees only their own tile.
    for (const port of cluster.liveKitPorts) await expect.poll(() => participantNames(cluster, port, seeded.meetingId), LIVEKIT).toEqual(['Alex']);
    await expect.poll(() => alex.page.locator('figure.tile').count(), LIVEKIT).toBe(1);
  });
});

function instancesOf(cluster: MediaCluster): [MediaInstance, MediaInstance, MediaInstance] {
  const [one, two, three] = cluster.instances;
  if (!one || !two || !three) throw new Error('the cluster has fewer than three instances');
  return [one, two, three];
}

/** The first join the page makes, with the instance that answered it. */
function joinAnswerOf(page: Page): Promise<AnsweredJoin> {
  return new Promise((done) => {
    page.on('response', (response) => {
      if (!/\/api\/meetings\/[^/]+\/join$/.test(response.url())) return;
      void response.json().then((body: unknown) => done({ instance: response.headers()[INSTANCE_HEADER.toLowerCase()] ?? null, body: JoinMeetingResponse.parse(body) }));
    });
  });
}

async function participantNames(cluster: MediaCluster, port: number, meetingId: string): Promise<string[]> {
  const participants = await cluster.roomService(port).listParticipants(roomNameFor(meetingId));
  return participants.map((participant) => participant.name).sort();
}

/** The ports of the LiveKit signalling sockets a page opened (`/rtc…`), each once. */
function rtcPorts(urls: string[]): number[] {
  const ports = urls.map((raw) => new URL(raw)).filter((url) => url.pathname.startsWith('/rtc')).map((url) => Number(url.port));
  return [...new Set(ports)];
}

/** The first of the page's shared-space sockets matching `test`, once there is one. */
async function waitForSocket(page: Page, test: (socket: SyncSocketRecord) => boolean): Promise<SyncSocketRecord> {
  let found: SyncSocketRecord | undefined;
  await expect.poll(async () => (found = (await syncSocketsOf(page)).find(test)) !== undefined, SYNC).toBe(true);
  if (!found) throw new Error('unreachable: the poll above found it');
  return found;
}

/** The element is shown, with its box inside the page's viewport. */
async function expectInViewport(page: Page, locator: ReturnType<Page['getByText']>): Promise<void> {
  await locator.first().waitFor();
  const box = await locator.first().boundingBox();
  const viewport = page.viewportSize();
  if (!box || !viewport) throw new Error('no box or no viewport');
  expect(box.x).toBeGreaterThanOrEqual(0);
  expect(box.y).toBeGreaterThanOrEqual(0);
  expect(box.x + box.width).toBeLessThanOrEqual(viewport.width + 1);
  expect(box.y + box.height).toBeLessThanOrEqual(viewport.height + 1);
}
