import { serve } from '@hono/node-server';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

const WEBHOOK_PATH = '/api/livekit/webhook';

/**
 * When this server ends TLS itself, the embedded LiveKit (on loopback) cannot post its webhooks to our https
 * port: it would not trust the certificate, which names the public host, not 127.0.0.1. So it gets a plain
 * http port of its own, on loopback, that answers the webhook path only (each webhook is signed anyway).
 */
export async function listenForWebhooks(fetch: (request: Request) => Response | Promise<Response>): Promise<{ url: string; server: Server }> {
  const server = serve({
    fetch: (request) => (new URL(request.url).pathname === WEBHOOK_PATH ? fetch(request) : new Response(null, { status: 404 })),
    port: 0,
    hostname: '127.0.0.1',
  }) as Server;
  await new Promise<void>((ready) => server.once('listening', () => ready()));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}${WEBHOOK_PATH}`, server };
}
