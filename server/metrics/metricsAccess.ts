import { createHash, timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';

/** Shortest METRICS_TOKEN accepted: a bearer token is a password that a scraper keeps. */
export const METRICS_TOKEN_MIN_LENGTH = 16;

/**
 * Who may scrape /metrics. The figures carry no names or content, but they tell an outsider how many
 * meetings are running and when: so without `METRICS_TOKEN` configured there is no /metrics at all (404,
 * as for any unknown path), and with it a scrape must send `Authorization: Bearer <token>` (401 otherwise).
 */
export function metricsAccess(token: string | undefined): MiddlewareHandler {
  const expected = token === undefined ? undefined : digest(token);
  return async (c, next) => {
    if (!expected) return c.text('Not Found', 404);
    const given = /^Bearer (.+)$/i.exec(c.req.header('authorization') ?? '')?.[1];
    if (given === undefined || !timingSafeEqual(digest(given), expected)) {
      return c.text('Unauthorized', 401, { 'WWW-Authenticate': 'Bearer realm="metrics"', 'Cache-Control': 'no-store' });
    }
    return next();
  };
}

// Comparing digests keeps the comparison constant-time whatever the lengths.
function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}
