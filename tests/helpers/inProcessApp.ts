import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DatabaseSync } from 'node:sqlite';
import type { Hono } from 'hono';
import { createApp } from '../../server/app.ts';
import type { AccessEvent } from '../../server/events/accessEvents.ts';
import { createLiveRooms } from '../../server/livekit/liveRooms.ts';
import { createMediaStateHolder, type MediaStateHolder } from '../../server/livekit/mediaState.ts';
import { createLogger } from '../../server/log.ts';
import type { AppEnv } from '../../server/routes/env.ts';
import { loadOrCreateServerSecret } from '../../server/secret.ts';
import { createServices, type Services } from '../../server/services/createServices.ts';
import type { Principal } from '../../server/services/principal.ts';
import type { Stores } from '../../server/store/stores.ts';
import { createTicketSigner } from '../../server/sync/tickets.ts';
import { HttpSession, type Fetch } from './httpSession.ts';
import { PASSWORD } from './seed.ts';
import { openTestStores } from './testStores.ts';

const SYSTEM: Principal = { kind: 'system' };
const BASE_URL = 'http://localhost';

interface AppParts {
  app: Hono<AppEnv>;
  services: Services;
  stores: Stores;
  /** The database under the stores, for a test that makes it refuse a write (a trigger) or reads it directly. */
  db: DatabaseSync;
  /** Every access event the services published, in order. */
  published: AccessEvent[];
  media: MediaStateHolder;
  serverSecret: Uint8Array;
  close: () => Promise<void>;
}

/**
 * The real app, stores and services over the test engine (SQLite in a temporary DATA_DIR, or PostgreSQL), without video, answered in-process
 * with `app.request()`: no port, no child process. The two shapes below are built on it.
 */
async function buildApp(options: {
  clientDir?: string | undefined;
  publicUrl?: string | undefined;
  trustedProxies?: string[] | undefined;
  now: () => Date;
  /** Hears every access event as it is published. */
  onEvent?: (event: AccessEvent) => void;
}): Promise<AppParts> {
  const dataDir = mkdtempSync(join(tmpdir(), 'polyphony-inproc-'));
  const opened = await openTestStores(dataDir);
  const { stores } = opened;
  const logger = createLogger({}, () => {});
  const media = createMediaStateHolder({ status: 'unavailable', reason: 'Video is off in this test.' });
  const secret = loadOrCreateServerSecret(dataDir);
  const signer = createTicketSigner(secret);
  const published: AccessEvent[] = [];
  const services = createServices({
    stores,
    serverSecret: secret,
    media,
    rooms: createLiveRooms(media, logger),
    signTicket: (claims) => signer.sign(claims),
    events: {
      publish: async (event) => {
        published.push(event);
        options.onEvent?.(event);
      },
    },
    logger,
    now: options.now,
  });
  const app = createApp({ logger, services, stores, media, publicUrl: options.publicUrl, trustedProxies: options.trustedProxies, checkHealth: () => {}, clientDir: options.clientDir });
  return {
    app,
    services,
    stores,
    get db(): DatabaseSync {
      if (!opened.db) throw new Error('this test reaches into SQLite, and the tests run on PostgreSQL');
      return opened.db;
    },
    published,
    media,
    serverSecret: secret,
    close: async () => {
      await opened.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface InProcessApp {
  app: Hono<AppEnv>;
  services: Services;
  stores: Stores;
  db: DatabaseSync;
  /** Every access event the services published, in order. */
  published: AccessEvent[];
  /** What the app says about video (unavailable unless a test sets it). */
  media: MediaStateHolder;
  /** The DATA_DIR secret (what a restarted server would load again). */
  serverSecret: Uint8Array;
  /** The server's clock: tests move it with `clock.set`. */
  clock: { now: () => Date; set: (at: Date) => void };
  /** A logged-in team member's session (an account is made on first use). */
  team(email: string, options?: { role?: 'practitioner' | 'peer_worker'; name?: string }): Promise<HttpSession>;
  /** A network with a team member assigned, one member with an invite, and one meeting at `meetingAt`. */
  seed(options: { teamEmail: string; meetingAt: Date }): Promise<{ networkId: string; meetingId: string; memberId: string; inviteUrl: string; member: HttpSession }>;
  /** Sends a request to the app in-process, as a client on 127.0.0.1 (for HttpSessions made by the test). */
  fetch: Fetch;
  close(): Promise<void>;
}

/** The app with a movable clock and HttpSession clients, for route tests. */
export async function createInProcessApp(options: { clientDir?: string; start?: Date } = {}): Promise<InProcessApp> {
  let current = options.start ?? new Date();
  const clock = { now: () => new Date(current), set: (at: Date) => void (current = at) };
  const parts = await buildApp({ clientDir: options.clientDir, now: clock.now });
  const { app, services, stores, published, media, serverSecret, close } = parts;
  // The bindings @hono/node-server gives a real request: the login route reads the caller's address.
  const bindings = { incoming: { socket: { remoteAddress: '127.0.0.1', remotePort: 50000, remoteFamily: 'IPv4' } } };
  const fetchInProcess = async (url: string, init: RequestInit) => app.request(url, init, bindings);

  const team: InProcessApp['team'] = async (email, teamOptions = {}) => {
    if (!(await stores.users.byEmail(email))) {
      await services.auth.createUser({ email, name: teamOptions.name ?? email.split('@')[0] ?? email, role: teamOptions.role ?? 'practitioner', isAdmin: false, password: PASSWORD });
    }
    const session = new HttpSession(BASE_URL, { fetch: fetchInProcess });
    await session.login(email, PASSWORD);
    return session;
  };

  return {
    app,
    services,
    stores,
    get db() {
      return parts.db;
    },
    published,
    media,
    serverSecret,
    clock,
    team,
    fetch: fetchInProcess,
    async seed({ teamEmail, meetingAt }) {
      await team(teamEmail);
      const network = await services.networks.create(SYSTEM, { personName: 'Jo', referredAt: clock.now().toISOString() });
      await services.networks.assign(SYSTEM, network.id, teamEmail);
      const member = await services.networks.addMember(SYSTEM, network.id, { name: 'Sam', relationship: 'brother', interpreter: false });
      const invite = await services.invites.create(SYSTEM, member.id, 14, BASE_URL);
      const meeting = await services.meetings.create(SYSTEM, network.id, { scheduledAt: meetingAt.toISOString() });
      return {
        networkId: network.id,
        meetingId: meeting.id,
        memberId: member.id,
        inviteUrl: invite.url,
        member: HttpSession.forInvite(BASE_URL, invite.url, { fetch: fetchInProcess }),
      };
    },
    close,
  };
}

export interface AccountsApp {
  app: Hono<AppEnv>;
  services: Services;
  stores: Stores;
  /** Every deactivation the services announced (a `user_deactivated` access event), in order. */
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

/** The app with clients that choose their peer address, for login throttling and proxy tests. */
export async function startInProcessApp(
  register: (cleanup: () => Promise<void>) => void,
  options: { publicUrl?: string; trustedProxies?: string[]; now?: () => Date } = {},
): Promise<AccountsApp> {
  const deactivations: AccountsApp['deactivations'] = [];
  const { app, services, stores, close } = await buildApp({
    publicUrl: options.publicUrl,
    trustedProxies: options.trustedProxies,
    now: options.now ?? (() => new Date()),
    onEvent: (e) => void (e.kind === 'user_deactivated' && deactivations.push({ userId: e.userId, networkIds: e.networkIds })),
  });
  register(close);

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
