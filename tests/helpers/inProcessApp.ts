import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Hono } from 'hono';
import { createApp } from '../../server/app.ts';
import { createLiveRooms } from '../../server/livekit/liveRooms.ts';
import { createMediaStateHolder } from '../../server/livekit/mediaState.ts';
import { createLogger } from '../../server/log.ts';
import type { AppEnv } from '../../server/routes/env.ts';
import { createServices, type Services } from '../../server/services/createServices.ts';
import { openDatabase } from '../../server/store/database.ts';
import { createSqliteStores, type Stores } from '../../server/store/stores.ts';
import { createTicketSigner } from '../../server/sync/tickets.ts';

export interface InProcessApp {
  app: Hono<AppEnv>;
  services: Services;
  stores: Stores;
  /** Every onUserDeactivated call, in order. */
  deactivations: { userId: string; networkIds: string[] }[];
  /** Makes a client that sends requests from `address` (the TCP peer), keeping its own session cookie. */
  client(address?: string): AppClient;
}

export interface AppClient {
  cookie: string | undefined;
  /** The last Set-Cookie header as the server sent it (to check its attributes). */
  lastSetCookie: string | undefined;
  request(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<Response>;
  /** A request that must succeed; its parsed JSON. */
  json(method: string, path: string, body?: unknown): Promise<Record<string, unknown>>;
  login(email: string, password: string): Promise<Response>;
}

/**
 * The real app, stores and services over SQLite in a temporary directory, called in-process with
 * app.request(): no port, no child process. The Node adapter's socket is given as the env binding, so the
 * peer address is whatever the test says. Removes its directory on cleanup.
 */
export function startInProcessApp(
  register: (cleanup: () => void) => void,
  options: { publicUrl?: string; trustedProxies?: string[]; now?: () => Date } = {},
): InProcessApp {
  const dataDir = mkdtempSync(join(tmpdir(), 'polyphony-app-'));
  const db = openDatabase(dataDir);
  register(() => {
    db.close();
    rmSync(dataDir, { recursive: true, force: true });
  });
  const stores = createSqliteStores(db);
  const logger = createLogger({}, () => {});
  const media = createMediaStateHolder({ status: 'unavailable', reason: 'not used in these tests' });
  const signer = createTicketSigner(randomBytes(32));
  const deactivations: InProcessApp['deactivations'] = [];
  const services = createServices({
    stores,
    serverSecret: randomBytes(32),
    media,
    rooms: createLiveRooms(media, logger),
    signTicket: (claims) => signer.sign(claims),
    onInviteRevoked: async () => {},
    onUserDeactivated: async (userId, networkIds) => void deactivations.push({ userId, networkIds }),
    ...(options.now ? { now: options.now } : {}),
  });
  const app = createApp({
    logger,
    services,
    stores,
    media,
    publicUrl: options.publicUrl,
    trustedProxies: options.trustedProxies,
    checkHealth: () => undefined,
  });

  const client = (address = '127.0.0.1'): AppClient => {
    const self: AppClient = {
      cookie: undefined,
      lastSetCookie: undefined,
      async request(method, path, body, headers = {}) {
        const all: Record<string, string> = { ...headers };
        if (body !== undefined) all['content-type'] = 'application/json';
        if (self.cookie) all['cookie'] = self.cookie;
        const init = { method, headers: all, ...(body === undefined ? {} : { body: JSON.stringify(body) }) };
        const res = await app.request(`http://localhost${path}`, init, { incoming: { socket: { remoteAddress: address } } });
        const setCookie = res.headers.get('set-cookie');
        if (setCookie) {
          self.lastSetCookie = setCookie;
          self.cookie = setCookie.split(';')[0];
        }
        return res;
      },
      async json(method, path, body) {
        const res = await self.request(method, path, body);
        if (!res.ok) throw new Error(`${method} ${path} answered ${res.status}: ${await res.text()}`);
        return (await res.json()) as Record<string, unknown>;
      },
      login: (email, password) => self.request('POST', '/api/auth/login', { email, password }),
    };
    return self;
  };

  return { app, services, stores, deactivations, client };
}
