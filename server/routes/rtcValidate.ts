import { Hono } from 'hono';
import type { MediaStateHolder } from '../livekit/mediaState.ts';
import { signalTarget } from '../livekit/signalProxy.ts';
import { ApiError } from '../errors.ts';
import type { AppEnv } from './env.ts';

/** LiveKit's answer is a line of text (why a join was refused); more than this is not one. */
const MAX_ANSWER_BYTES = 8 * 1024;

/**
 * LiveKit's `/rtc/validate` (and `/rtc/v1/validate`), which its browser client asks after a failed
 * signalling connection to learn why (an expired token, say). Proxied in public mode only, like the
 * signalling WebSocket itself (see signalProxy.ts); 404 otherwise.
 */
export function rtcValidateRoutes(media: MediaStateHolder): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  routes.get('/rtc/validate', (c) => forward(media, c.req.url));
  routes.get('/rtc/v1/validate', (c) => forward(media, c.req.url));
  return routes;
}

async function forward(media: MediaStateHolder, requestUrl: string): Promise<Response> {
  const target = signalTarget(media.get());
  if (!target) throw new ApiError('not_found', 'Nothing is here.');
  const incoming = new URL(requestUrl);
  let answer: Response;
  try {
    answer = await fetch(new URL(`${incoming.pathname}${incoming.search}`, target), { signal: AbortSignal.timeout(5_000), redirect: 'manual' });
  } catch {
    throw new ApiError('internal', 'The video server did not answer. Please try again in a moment.');
  }
  const body = (await answer.text()).slice(0, MAX_ANSWER_BYTES);
  return new Response(body, { status: answer.status, headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' } });
}
