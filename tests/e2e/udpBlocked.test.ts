import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { freeTcpPort, freeUdpPort } from '../../server/livekit/freePort.ts';
import { launchBrowser, type TestBrowser } from '../helpers/browser.ts';
import { MeetingPage } from '../helpers/meetingPage.ts';
import { addUser, PASSWORD, seedNetwork } from '../helpers/seed.ts';
import { startServerProcess, type ServerProcess } from '../helpers/serverProcess.ts';
import { createUdpBlockedNetwork, udpBlockedNetworkUnavailable, type UdpBlockedNetwork } from '../helpers/udpBlockedNetwork.ts';

const LIVEKIT = { timeout: 90_000 };
const unavailable = udpBlockedNetworkUnavailable();
if (unavailable) console.warn(`udpBlocked.test.ts is skipped: a network that drops UDP cannot be made here, because ${unavailable}.`);

/**
 * A hospital network that lets no UDP through (issue 14): two people whose browser sits in a network
 * namespace where nftables drops every UDP packet, the server in public mode on the other side of a veth
 * link. Media must still flow, over ICE/TCP to LiveKit's TCP port (TURN/UDP and LiveKit's UDP port are
 * unreachable; TURN over TLS is left out: browsers are sent to it at port 443 of a host name, which this
 * test would have to own; doctorTurn.test.ts and livekit.test.ts check TURN/TLS answers). Skipped, saying
 * why, where a namespace cannot be made (not root, no nft).
 */
describe.skipIf(unavailable !== undefined)('public mode: media when the browser\'s network drops all UDP', () => {
  let network: UdpBlockedNetwork;
  let server: ServerProcess;
  let browser: TestBrowser;
  let origin: string;
  let sam: MeetingPage;
  let alex: MeetingPage;

  beforeAll(async () => {
    network = createUdpBlockedNetwork();
    const port = await freeTcpPort();
    origin = `http://${network.serverAddress}:${port}`;
    server = await startServerProcess({
      launcher: network.serverLauncher,
      env: {
        // Its network's addresses (loopback and the link): the embedded LiveKit posts its webhooks to 127.0.0.1.
        HOST: '0.0.0.0',
        PORT: String(port),
        PUBLIC_URL: origin,
        MEDIA_PUBLIC_IP: network.serverAddress,
        LIVEKIT_PORT: String(await freeTcpPort()),
        LIVEKIT_RTC_UDP_PORT: String(await freeUdpPort()),
        LIVEKIT_RTC_TCP_PORT: String(await freeTcpPort()),
        TURN_UDP_PORT: String(await freeUdpPort()),
        TURN_RELAY_PORTS: '44000-44019',
      },
    });
    await addUser(server.dataDir, 'alex@team.org', { name: 'Alex', role: 'practitioner' });
    const seeded = await seedNetwork(server.dataDir, { team: ['alex@team.org'], personName: 'Jo', memberName: 'Sam' });
    // Camera and microphone need a secure origin; inside the namespace the server is plain http on a private address.
    browser = await launchBrowser({ executablePath: network.chromiumPath, extraArgs: [`--unsafely-treat-insecure-origin-as-secure=${origin}`] });
    sam = await MeetingPage.open(await watchedPerson(browser), `${origin}${new URL(seeded.inviteUrl).pathname}`);
    alex = await MeetingPage.open(await watchedPerson(browser), `${origin}/login`);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.dispose();
    network?.dispose();
  });

  it('both see each other, over TCP, while the network drops the UDP the browsers try', async () => {
    await sam.chooseFirstMeeting();
    await sam.join('Sam');
    await alex.loginAndOpenMeeting('alex@team.org', PASSWORD, 'Jo');
    await alex.join('Alex');
    await sam.openTab('Video');
    await alex.openTab('Video');
    await sam.waitForRemoteVideoPlaying(LIVEKIT.timeout);
    await alex.waitForRemoteVideoPlaying(LIVEKIT.timeout);
    for (const person of [sam, alex]) {
      const paths = await selectedPaths(person.page);
      expect(paths.length).toBeGreaterThan(0);
      // ICE/TCP straight to LiveKit, not a relay: TURN over TLS is not configured here, and no UDP gets
      // through. (The browser's end of an active TCP connection shows as peer-reflexive: its port is learnt.)
      expect(new Set(paths.map((path) => path.protocol))).toEqual(new Set(['tcp']));
      expect(paths.filter((path) => path.candidateType === 'relay')).toEqual([]);
    }
    expect(network.droppedUdpPackets()).toBeGreaterThan(0);
    await sam.screenshot('udpBlocked-phone-remote-video');
  });
});

/** A person's browser in which every RTCPeerConnection is kept for inspection. */
async function watchedPerson(browser: TestBrowser): Promise<BrowserContext> {
  const context = await browser.newPerson({ viewport: { width: 390, height: 844 } });
  await context.addInitScript(() => {
    const pcs: RTCPeerConnection[] = [];
    Reflect.set(window, '__pcs', pcs);
    const NativePC = window.RTCPeerConnection;
    window.RTCPeerConnection = class extends NativePC {
      constructor(config?: RTCConfiguration) {
        super(config);
        pcs.push(this);
      }
    };
  });
  return context;
}

interface MediaPath {
  candidateType: string;
  protocol: string;
}

/** For every connected peer connection, the local candidate its selected pair uses. */
async function selectedPaths(page: Page): Promise<MediaPath[]> {
  return page.evaluate(async () => {
    const pcs = Reflect.get(window, '__pcs') as RTCPeerConnection[];
    const paths: { candidateType: string; protocol: string }[] = [];
    for (const pc of pcs) {
      if (pc.connectionState !== 'connected') continue;
      const stats = await pc.getStats();
      stats.forEach((report: { type: string; selectedCandidatePairId?: string }) => {
        if (report.type !== 'transport' || !report.selectedCandidatePairId) return;
        const pair = stats.get(report.selectedCandidatePairId) as { localCandidateId: string } | undefined;
        const local = pair && (stats.get(pair.localCandidateId) as { candidateType: string; protocol: string } | undefined);
        if (local) paths.push({ candidateType: local.candidateType, protocol: local.protocol });
      });
    }
    return paths;
  });
}
