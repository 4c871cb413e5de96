import type { Page } from 'playwright-core';

/** One call of getUserMedia: which kinds it asked for, and how the browser answered. */
export interface MediaRequest {
  audio: boolean;
  video: boolean;
  /** "pending", "granted", or the name of the error the call was refused with (e.g. "NotAllowedError"). */
  outcome: string;
}

interface Recorded {
  requests: MediaRequest[];
  videoTracks: MediaStreamTrack[];
}

/**
 * Installed before the page loads (context.addInitScript): records every getUserMedia call the page makes,
 * with its constraints and outcome, and every camera track it was given, so a test can prove that a camera
 * was never asked for, rather than only that none is shown.
 */
export function recordMediaRequests(): void {
  const recorded: Recorded = { requests: [], videoTracks: [] };
  (window as unknown as { __media: Recorded }).__media = recorded;
  const original = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
  navigator.mediaDevices.getUserMedia = async (constraints) => {
    const request: MediaRequest = { audio: Boolean(constraints?.audio), video: Boolean(constraints?.video), outcome: 'pending' };
    recorded.requests.push(request);
    try {
      const stream = await original(constraints);
      request.outcome = 'granted';
      recorded.videoTracks.push(...stream.getVideoTracks());
      return stream;
    } catch (error) {
      request.outcome = error instanceof DOMException ? error.name : 'error';
      throw error;
    }
  };
}

/** The getUserMedia calls this page load made so far. */
export function mediaRequests(page: Page): Promise<MediaRequest[]> {
  return page.evaluate(() => (window as unknown as { __media: Recorded }).__media.requests.map((r) => ({ ...r })));
}

/** Camera tracks this page load was given: all of them, or only those still capturing. */
export function videoTracks(page: Page, which: 'all' | 'live'): Promise<number> {
  return page.evaluate((which) => {
    const tracks = (window as unknown as { __media: Recorded }).__media.videoTracks;
    return which === 'all' ? tracks.length : tracks.filter((t) => t.readyState === 'live').length;
  }, which);
}
