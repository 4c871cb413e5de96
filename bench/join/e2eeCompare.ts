import { randomBytes } from 'node:crypto';
import { copyFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { AccessToken, RoomServiceClient } from 'livekit-server-sdk';
import type { BrowserContext, Page } from 'playwright-core';
import { loadOrCreateLiveKitKeys } from '../../server/livekit/liveKitKeys.ts';
import { MEDIA_KEY_RING } from '../../shared/api/meetings.ts';
import { participantIdentityOf, roomNameFor } from '../../shared/media/rooms.ts';
import type { TestBrowser } from '../../tests/helpers/browser.ts';
import { seedNetwork } from '../../tests/helpers/seed.ts';
import { joinBareRoom, leaveBareRoom, publishInBareRoom, type BareJoin, type BareJoinTimes } from './barePage.ts';
import { applyProfile, type JoinProfile } from './profiles.ts';

/**
 * Issue 17 asks what end-to-end encryption adds to a join. The app has no unencrypted mode (and must not get
 * one), so the plain figure comes from a bench-only page: LiveKit's own client against the same embedded
 * LiveKit, with tokens the bench mints from the key pair in the data directory, once with end-to-end
 * encryption set up as the app sets it up (its key provider's settings, the E2EE worker from the app's own
 * build, served by the real server) and once without. Everything else is alike, so the difference is what
 * encryption costs. The page is written into the bench's own build folder, never into the app's.
 */
export type E2eeMode = 'plain' | 'e2ee';

export interface BareRun {
  profile: JoinProfile['id'];
  mode: E2eeMode;
  times: BareJoinTimes;
}

export interface BareRooms {
  /** One bare join, timed in a fresh browser context slowed as `profile` says. */
  measure(browser: TestBrowser, profile: JoinProfile, mode: E2eeMode): Promise<BareRun>;
  close(): Promise<void>;
}

const PAGE = 'e2ee-bench.html';
const TIMEOUT_MS = 60_000;

/** The bare page (LiveKit's UMD build and nothing else), written beside the app's build in `distDir`. */
export function writeBarePage(distDir: string): { page: string; workerUrl: string } {
  const livekitDist = dirname(createRequire(import.meta.url).resolve('livekit-client'));
  copyFileSync(join(livekitDist, 'livekit-client.umd.js'), join(distDir, 'e2ee-bench-livekit.js'));
  writeFileSync(join(distDir, PAGE), '<!doctype html><meta charset="utf-8"><title>E2EE bench</title><script src="/e2ee-bench-livekit.js"></script>\n');
  const worker = readdirSync(join(distDir, 'assets')).find((f) => /^livekit-client\.e2ee\.worker-[\w-]+\.js$/.test(f));
  if (!worker) throw new Error('the build has no E2EE worker file');
  return { page: `/${PAGE}`, workerUrl: `/assets/${worker}` };
}

/**
 * Two meetings of their own (so the media gate lets the bench's participants in), each with a team member
 * already publishing camera and microphone from a bare page: one encrypted with a key the bench made, one plain.
 */
export async function openBareRooms(options: {
  browser: TestBrowser;
  serverUrl: string;
  dataDir: string;
  liveKitUrl: string;
  userEmail: string;
  userId: string;
  distDir: string;
}): Promise<BareRooms> {
  const { page: pagePath, workerUrl } = writeBarePage(options.distDir);
  const keys = loadOrCreateLiveKitKeys(join(options.dataDir, 'livekit'));
  const roomService = new RoomServiceClient(options.liveKitUrl.replace(/^ws/, 'http'), keys.apiKey, keys.apiSecret);
  const key = randomBytes(32).toString('base64url');
  const token = async (roomName: string, identity: string) => {
    const access = new AccessToken(keys.apiKey, keys.apiSecret, { identity, name: 'Bench', metadata: JSON.stringify({ role: 'network_member' }), ttl: 3600 });
    access.addGrant({ room: roomName, roomJoin: true, canPublish: true, canSubscribe: true, canPublishData: true });
    return access.toJwt();
  };
  const rooms = new Map<E2eeMode, { roomName: string; memberIdentity: string }>();
  const publishers: BrowserContext[] = [];
  for (const mode of ['plain', 'e2ee'] as const) {
    const seeded = await seedNetwork(options.dataDir, { team: [options.userEmail], personName: `Bench ${mode}`, memberName: 'Bench' });
    const roomName = roomNameFor(seeded.meetingId);
    await roomService.createRoom({ name: roomName });
    rooms.set(mode, { roomName, memberIdentity: participantIdentityOf({ kind: 'member', id: seeded.memberId }) });
    const context = await options.browser.newPerson();
    publishers.push(context);
    const page = await openBarePage(context, options.serverUrl, pagePath);
    const publisherToken = await token(roomName, participantIdentityOf({ kind: 'user', id: options.userId }));
    await page.evaluate(publishInBareRoom, bareJoin(options.liveKitUrl, publisherToken, workerUrl, mode === 'e2ee' ? key : undefined, true));
  }

  return {
    async measure(browser, profile, mode) {
      const room = rooms.get(mode);
      if (!room) throw new Error(`no bare room for ${mode}`);
      const context = await browser.newPerson({ viewport: profile.viewport });
      try {
        const page = await context.newPage();
        page.setDefaultTimeout(TIMEOUT_MS);
        const cdp = await context.newCDPSession(page);
        await applyProfile(cdp, profile);
        // The page and LiveKit's code load before the clock starts; the worker is fetched after, as in the app.
        await page.goto(`${options.serverUrl}${pagePath}`);
        await page.waitForFunction(() => 'LivekitClient' in window);
        const join = bareJoin(options.liveKitUrl, await token(room.roomName, room.memberIdentity), workerUrl, mode === 'e2ee' ? key : undefined, true);
        const times = await withTimeout(page.evaluate(joinBareRoom, join), `bare ${mode} join on ${profile.id}`);
        await page.evaluate(leaveBareRoom);
        return { profile: profile.id, mode, times };
      } finally {
        await context.close();
      }
    },
    async close() {
      for (const context of publishers) await context.close();
    },
  };
}

function bareJoin(url: string, token: string, workerUrl: string, key: string | undefined, publish: boolean): BareJoin {
  return { url, token, workerUrl, keyringSize: MEDIA_KEY_RING, publish, ...(key !== undefined && { key }) };
}

async function openBarePage(context: BrowserContext, serverUrl: string, pagePath: string): Promise<Page> {
  const page = await context.newPage();
  page.setDefaultTimeout(TIMEOUT_MS);
  await page.goto(`${serverUrl}${pagePath}`);
  await page.waitForFunction(() => 'LivekitClient' in window);
  return page;
}

async function withTimeout<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took over ${TIMEOUT_MS / 1000} s`)), TIMEOUT_MS);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
