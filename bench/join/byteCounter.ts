import type { CDPSession } from 'playwright-core';

/** What the page received, each piece at the wall-clock time (ms since the epoch) it finished arriving. */
export interface ByteCounter {
  /** Bytes received up to `atMs`: HTTP responses as sent (compressed, headers included) and WebSocket frames' payloads. */
  receivedBy(atMs: number): { http: number; webSocket: number; total: number };
  /** Every HTTP response finished by `atMs`, largest first (for a report of what was loaded). */
  responsesBy(atMs: number): { url: string; bytes: number }[];
  /** What the page asked for and when (wall-clock ms): requests sent and finished, WebSockets opened and their frames. */
  timeline(): TimelineEvent[];
  /** The wall-clock ms of a time on the browser's monotonic clock (in seconds, as the protocol gives it). */
  wallMs(monotonicSeconds: number): number;
}

export interface TimelineEvent {
  atMs: number;
  what: 'request' | 'response' | 'websocket' | 'frame in' | 'frame out';
  url: string;
  bytes?: number;
}

interface Piece {
  atMs: number;
  bytes: number;
}

/**
 * Counts, through the page's DevTools protocol session, the bytes the page receives: `encodedDataLength` of
 * every finished HTTP response (what crossed the wire, after compression) and the payload of every WebSocket
 * frame received (LiveKit's signalling and the shared documents' sync). WebRTC media is not counted: the
 * figure is what a phone downloads to get into the call. Protocol timestamps are a monotonic clock; the
 * first request's `wallTime` ties them to the wall clock the page's own marks use.
 */
export async function countBytes(cdp: CDPSession): Promise<ByteCounter> {
  let monotonicToWallMs: number | undefined;
  const urls = new Map<string, string>();
  const http: (Piece & { url: string })[] = [];
  const webSocket: Piece[] = [];
  const timeline: TimelineEvent[] = [];
  const wallMs = (timestampSeconds: number) => timestampSeconds * 1000 + (monotonicToWallMs ?? NaN);

  cdp.on('Network.requestWillBeSent', (event) => {
    monotonicToWallMs ??= (event.wallTime - event.timestamp) * 1000;
    urls.set(event.requestId, event.request.url);
    timeline.push({ atMs: wallMs(event.timestamp), what: 'request', url: event.request.url });
  });
  cdp.on('Network.loadingFinished', (event) => {
    const piece = { atMs: wallMs(event.timestamp), bytes: event.encodedDataLength, url: urls.get(event.requestId) ?? '?' };
    http.push(piece);
    timeline.push({ ...piece, what: 'response' });
  });
  cdp.on('Network.webSocketCreated', (event) => {
    urls.set(event.requestId, event.url);
  });
  cdp.on('Network.webSocketWillSendHandshakeRequest', (event) => {
    timeline.push({ atMs: wallMs(event.timestamp), what: 'websocket', url: urls.get(event.requestId) ?? '?' });
  });
  cdp.on('Network.webSocketFrameReceived', (event) => {
    const piece = { atMs: wallMs(event.timestamp), bytes: payloadBytes(event.response.opcode, event.response.payloadData) };
    webSocket.push(piece);
    timeline.push({ ...piece, what: 'frame in', url: urls.get(event.requestId) ?? '?' });
  });
  cdp.on('Network.webSocketFrameSent', (event) => {
    timeline.push({ atMs: wallMs(event.timestamp), what: 'frame out', url: urls.get(event.requestId) ?? '?', bytes: payloadBytes(event.response.opcode, event.response.payloadData) });
  });
  await cdp.send('Network.enable');

  const sumBy = (pieces: readonly Piece[], atMs: number) => pieces.reduce((sum, p) => (p.atMs <= atMs ? sum + p.bytes : sum), 0);
  return {
    receivedBy(atMs) {
      const h = sumBy(http, atMs);
      const w = sumBy(webSocket, atMs);
      return { http: h, webSocket: w, total: h + w };
    },
    responsesBy(atMs) {
      return http
        .filter((p) => p.atMs <= atMs)
        .map((p) => ({ url: p.url, bytes: p.bytes }))
        .sort((a, b) => b.bytes - a.bytes);
    },
    timeline: () => [...timeline].sort((a, b) => a.atMs - b.atMs),
    wallMs,
  };
}

/** Text frames (opcode 1) come as their text; binary ones (opcode 2) base64-encoded. */
function payloadBytes(opcode: number, payload: string): number {
  return opcode === 2 ? Buffer.from(payload, 'base64').length : Buffer.byteLength(payload, 'utf8');
}
