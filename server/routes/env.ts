import type { Principal } from '../services/principal.ts';

/** Hono environment of every API route: who is asking, resolved once per request. */
export type AppEnv = { Variables: { principal: Principal } };
