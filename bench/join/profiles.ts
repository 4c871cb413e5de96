import type { CDPSession } from 'playwright-core';

/** The device and link a person joins from, as Chromium's DevTools protocol emulates them. */
export interface JoinProfile {
  id: 'desktop' | 'phone';
  label: string;
  viewport: { width: number; height: number };
  /** Emulation.setCPUThrottlingRate: how many times slower the page's main thread runs (1 = not slowed). */
  cpuSlowdown: number;
  /** Network.emulateNetworkConditions for the page's HTTP and WebSocket traffic; none = loopback as it is. */
  network?: { roundTripMs: number; downloadBitsPerSecond: number; uploadBitsPerSecond: number };
  /** Join → first remote frame must stay under this (issue 13, "How it must be shown"). */
  targetMs: number;
}

/** A laptop on the same machine as the server: what the app itself costs, with no slow link or CPU. */
export const DESKTOP: JoinProfile = {
  id: 'desktop',
  label: 'Loopback desktop',
  viewport: { width: 1440, height: 900 },
  cpuSlowdown: 1,
  targetMs: 1_000,
};

/**
 * The cheap phone of issue 13: a main thread 4× slower than this machine's, 1.6 Mbit/s each way and a 300 ms
 * round trip. Chromium applies an HTTP or WebSocket request's latency once (from sending it to the answer's
 * headers), so 300 ms there is the round trip; WebRTC's packets (ICE, DTLS, media) are delayed by the latency
 * in each direction, so they get 150 ms (measured: a candidate pair's RTT of 0.30 s; 300 ms gave 0.61 s).
 */
export const PHONE: JoinProfile = {
  id: 'phone',
  label: 'Cheap phone',
  viewport: { width: 390, height: 844 },
  cpuSlowdown: 4,
  network: { roundTripMs: 300, downloadBitsPerSecond: 1_600_000, uploadBitsPerSecond: 1_600_000 },
  targetMs: 3_000,
};

export const PROFILES: readonly JoinProfile[] = [DESKTOP, PHONE];

/** Slows the page's CPU and link as the profile says; call before the page loads anything. */
export async function applyProfile(cdp: CDPSession, profile: JoinProfile): Promise<void> {
  if (profile.cpuSlowdown !== 1) await cdp.send('Emulation.setCPUThrottlingRate', { rate: profile.cpuSlowdown });
  if (profile.network) {
    const { roundTripMs, downloadBitsPerSecond, uploadBitsPerSecond } = profile.network;
    // Bytes per second, as the protocol wants them.
    const link = { downloadThroughput: downloadBitsPerSecond / 8, uploadThroughput: uploadBitsPerSecond / 8 };
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditionsByRule', {
      matchedNetworkConditions: [
        // Every HTTP request and WebSocket (the first rule that matches wins)...
        { urlPattern: '*://*:*/*', latency: roundTripMs, ...link },
        // ...and, as the rule for everything else, peer-to-peer traffic: delayed each way.
        { urlPattern: '', latency: roundTripMs / 2, ...link },
      ],
    });
  }
}
