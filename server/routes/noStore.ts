import type { MiddlewareHandler } from 'hono';

/**
 * `Cache-Control: no-store` on every answer, errors included: API answers carry health data (names, notes,
 * records), which no browser cache, shared proxy or back-forward cache may keep after someone leaves a
 * shared computer.
 */
export function noStore(): MiddlewareHandler {
  return async (c, next) => {
    await next();
    c.res.headers.set('Cache-Control', 'no-store');
  };
}
