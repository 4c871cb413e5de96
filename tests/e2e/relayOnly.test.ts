import { networkInterfaces } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { freeTcpPort, freeUdpPort } from '../../server/livekit/freePort.ts';
import { launchBrowser, type TestBrowser } from '../helpers/browser.ts';
import { MeetingPage, meetOnVideo } from '../helpers/meetingPage.ts';
import { addUser, PASSWORD, seedNetwork } from '../helpers/seed.ts';
import { startServerProcess, type ServerProcess } from '../helpers/serverProcess.ts';

const LIVEKIT = { timeout: 60_000 };

/**
 * The embedded LiveKit in public mode (issue 14), on one machine: signalling through Polyphony's own
 * origin (`/rtc`, proxied), media forced through LiveKit's TURN by the `?ice=relay` diagnosis setting.
 * Two people must see each other's video, and every media path their browsers use must be a relayed one.
 * Media is announced on the machine's own network address: Chromium does not reach a TURN server on
 * 127.0.0.1 (tried: no relay candidate, the call never connects). LiveKit's TURN refuses private peers
 * unless told otherwise (TURN_ALLOW_PEERS, tests only).
 */
describe('public mode: media through TURN when direct paths are not allowed', () => {
  let server: ServerProcess;
  let browser: TestBrowser;
  let sam: MeetingPage;
  let alex: MeetingPage;

  beforeAll(async () => {
    const port = await freeTcpPort();
    const address = machineAddress();
    server = await startServerProcess({
      env: {
        PORT: String(port),
        PUBLIC_URL: `http://127.0.0.1:${port}`,
        MEDIA_PUBLIC_IP: address,
        LIVEKIT_PORT: String(await freeTcpPort()),
        LIVEKIT_RTC_UDP_PORT: String(await freeUdpPort()),
        LIVEKIT_RTC_TCP_PORT: String(await freeTcpPort()),
        TURN_UDP_PORT: String(await freeUdpPort()),
        TURN_RELAY_PORTS: '41000-41099',
        TURN_ALLOW_PEERS: `${address}/32`,
      },
    });
    await addUser(server.dataDir, 'alex@team.org', { name: 'Alex', role: 'practitioner' });
    const seeded = await seedNetwork(server.dataDir, { team: ['alex@team.org'], personName: 'Jo', memberName: 'Sam' });
    browser = await launchBrowser();
    sam = await MeetingPage.open(await relayOnlyPerson(browser), `${server.url}${new URL(seeded.inviteUrl).pathname}?ice=relay`);
    alex = await MeetingPage.open(await relayOnlyPerson(browser), `${server.url}/login?ice=relay`);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.dispose();
  });

  it('tells browsers to signal through the app itself, and both see each other through the relay only', async () => {
    await meetOnVideo(sam, alex, { email: 'alex@team.org', password: PASSWORD }, LIVEKIT.timeout);
    for (const person of [sam, alex]) {
      expect(await signalledTo(person.page)).toEqual([`ws://127.0.0.1:${new URL(server.url).port}`]);
      const paths = await selectedCandidateTypes(person.page);
      expect(paths.length).toBeGreaterThan(0);
      expect(new Set(paths)).toEqual(new Set(['relay']));
    }
    await sam.screenshot('relayOnly-phone-remote-video');
  });

  it('answers LiveKit\'s validate request through the proxy', async () => {
    const validate = await fetch(`${server.url}/rtc/validate?access_token=not-a-token`);
    expect(validate.status).toBe(401);
  });
});

/** The machine's first non-loopback IPv4 address: where a TURN server is reached from this machine. */
function machineAddress(): string {
  for (const entries of Object.values(networkInterfaces())) {
    const found = entries?.find((entry) => entry.family === 'IPv4' && !entry.internal);
    if (found) return found.address;
  }
  throw new Error('This machine has no network address other than loopback, which Chromium will not use for TURN.');
}

/** A browser context in which every RTCPeerConnection and the origin of every signalling socket is kept for inspection. */
async function relayOnlyPerson(browser: TestBrowser) {
  const context = await browser.newPerson({ viewport: { width: 390, height: 844 } });
  await context.addInitScript(() => {
    const seen = { pcs: [] as RTCPeerConnection[], sockets: [] as string[] };
    Reflect.set(window, '__media', seen);
    const NativePC = window.RTCPeerConnection;
    window.RTCPeerConnection = class extends NativePC {
      constructor(config?: RTCConfiguration) {
        super(config);
        seen.pcs.push(this);
      }
    };
    const NativeWS = window.WebSocket;
    window.WebSocket = class extends NativeWS {
      constructor(url: string | URL, protocols?: string | string[]) {
        super(url, protocols);
        const parsed = new URL(String(url));
        if (parsed.pathname.startsWith('/rtc')) seen.sockets.push(parsed.origin);
      }
    };
  });
  return context;
}

/** The origins LiveKit's client opened its signalling sockets to, each once. */
async function signalledTo(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const seen = Reflect.get(window, '__media') as { sockets: string[] };
    return [...new Set(seen.sockets)];
  });
}

/** For every connected peer connection, the type of the local candidate its selected pair uses. */
async function selectedCandidateTypes(page: Page): Promise<string[]> {
  return page.evaluate(async () => {
    const seen = Reflect.get(window, '__media') as { pcs: RTCPeerConnection[] };
    const types: string[] = [];
    for (const pc of seen.pcs) {
      if (pc.connectionState !== 'connected') continue;
      const stats = await pc.getStats();
      stats.forEach((report: { type: string; selectedCandidatePairId?: string }) => {
        if (report.type !== 'transport' || !report.selectedCandidatePairId) return;
        const pair = stats.get(report.selectedCandidatePairId) as { localCandidateId: string } | undefined;
        const local = pair && (stats.get(pair.localCandidateId) as { candidateType: string } | undefined);
        if (local) types.push(local.candidateType);
      });
    }
    return types;
  });
}
