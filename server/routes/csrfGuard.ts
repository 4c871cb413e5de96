import type { MiddlewareHandler } from 'hono';
import { ApiError } from '../errors.ts';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * CSRF protection for cookie-authenticated routes. A state-changing request must be JSON (a cross-site
 * form cannot send that without a CORS preflight, which this server never grants) and, when the browser
 * says where it comes from, come from this same site.
 */
export function csrfGuard(): MiddlewareHandler {
  return async (c, next) => {
    if (SAFE_METHODS.has(c.req.method)) return next();
    const contentType = c.req.header('content-type') ?? '';
    if (c.req.method !== 'DELETE' && !contentType.toLowerCase().startsWith('application/json')) {
      throw new ApiError('bad_request', 'Requests must be sent as JSON.');
    }
    const site = c.req.header('sec-fetch-site');
    if (site && site !== 'same-origin' && site !== 'none') throw new ApiError('forbidden', 'Requests from other sites are refused.');
    const origin = c.req.header('origin');
    if (origin && hostOf(origin) !== c.req.header('host')) throw new ApiError('forbidden', 'Requests from other sites are refused.');
    await next();
  };
}

/** The host of an Origin header; undefined for `null` (sandboxed frames) or anything unparsable. */
function hostOf(origin: string): string | undefined {
  try {
    return new URL(origin).host;
  } catch {
    return undefined;
  }
}
