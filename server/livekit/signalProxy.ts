import type { IncomingMessage } from 'node:http';
import { connect, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Logger } from '../log.ts';
import type { MediaState, MediaStateHolder } from './mediaState.ts';

/** LiveKit's signalling paths: `/rtc` and `/rtc/v1` (WebSockets), each with `/validate` (plain GET). */
const SIGNAL_PATH = /^\/rtc(\/v1)?(\/validate)?\/?(\?|$)/;
/** A request line and headers larger than this are not LiveKit's client; refused before dialling. */
const MAX_HEAD_BYTES = 16 * 1024;
/** How long the loopback LiveKit may take to accept the TCP connection. */
const CONNECT_TIMEOUT_MS = 5_000;

/**
 * Where `/rtc` is proxied to, when it is: in public mode browsers are told to use Polyphony's own origin
 * for signalling (one host name, one certificate), and this server passes it to LiveKit on loopback.
 * Otherwise (loopback mode, an external LiveKit) browsers go to LiveKit directly and nothing is proxied.
 */
export function signalTarget(state: MediaState): URL | undefined {
  if (state.status !== 'available' || state.url === state.serverUrl) return undefined;
  const target = new URL(state.serverUrl.replace(/^ws/, 'http'));
  return target.hostname === '127.0.0.1' ? target : undefined;
}

export function isSignalPath(url: string | undefined): boolean {
  return url !== undefined && SIGNAL_PATH.test(url);
}

/**
 * Takes an HTTP upgrade for LiveKit's signalling and pipes it, byte for byte, to LiveKit on loopback.
 * False when the path is not LiveKit's or nothing is proxied now, so the caller can answer 404. The
 * access token is in the query string: nothing here logs the URL.
 */
export function createSignalProxy(media: MediaStateHolder, logger: Logger) {
  return {
    handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean {
      if (!isSignalPath(req.url)) return false;
      const target = signalTarget(media.get());
      if (!target || req.method !== 'GET') return false;
      const requestHead = serializeHead(req, target);
      if (requestHead.byteLength > MAX_HEAD_BYTES) {
        socket.end('HTTP/1.1 431 Request Header Fields Too Large\r\nConnection: close\r\n\r\n');
        return true;
      }
      const upstream = connect({ host: target.hostname, port: Number(target.port), timeout: CONNECT_TIMEOUT_MS });
      const fail = (reason: string) => {
        logger.warn('rtc_proxy_failed', { reason });
        upstream.destroy();
        socket.destroy();
      };
      upstream.once('timeout', () => fail('timeout'));
      upstream.once('connect', () => {
        upstream.setTimeout(0);
        upstream.write(requestHead);
        if (head.byteLength > 0) upstream.write(head);
        pipeBoth(socket, upstream);
      });
      upstream.once('error', (error: NodeJS.ErrnoException) => fail(error.code ?? 'error'));
      socket.once('error', () => upstream.destroy());
      return true;
    },
  };
}

function pipeBoth(client: Duplex, upstream: Socket): void {
  client.pipe(upstream);
  upstream.pipe(client);
  client.once('close', () => upstream.destroy());
  upstream.once('close', () => client.destroy());
}

/** The client's request line and headers as LiveKit should see them: Host is LiveKit's own. */
function serializeHead(req: IncomingMessage, target: URL): Buffer {
  const lines = [`GET ${req.url ?? '/'} HTTP/1.1`, `Host: ${target.host}`];
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) {
    const name = req.rawHeaders[i] ?? '';
    if (name.toLowerCase() === 'host') continue;
    lines.push(`${name}: ${req.rawHeaders[i + 1] ?? ''}`);
  }
  return Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1');
}
