import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Hono } from 'hono';
import { createApp } from '../../server/app.ts';
import { createLiveRooms } from '../../server/livekit/liveRooms.ts';
import { createMediaStateHolder } from '../../server/livekit/mediaState.ts';
import { createLogger } from '../../server/log.ts';
import type { AppEnv } from '../../server/routes/env.ts';
import { loadOrCreateServerSecret } from '../../server/secret.ts';
import { createServices, type Services } from '../../server/services/createServices.ts';
import type { Principal } from '../../server/services/principal.ts';
import { openDatabase } from '../../server/store/database.ts';
import { createSqliteStores, type Stores } from '../../server/store/stores.ts';
import { createTicketSigner } from '../../server/sync/tickets.ts';
import { HttpSession } from './httpSession.ts';
import { PASSWORD } from './seed.ts';
import { createOutboxEvents } from '../../server/events/outboxEvents.ts';
import { createSqliteAccessEventStore } from '../../server/store/accessEventStore.ts';

const SYSTEM: Principal = { kind: 'system' };
const BASE_URL = 'http://localhost';

export interface InProcessApp {
  app: Hono<AppEnv>;
  services: Services;
  stores: Stores;
  /** The server's clock: tests move it with `clock.set`. */
  clock: { now: () => Date; set: (at: Date) => void };
  /** A logged-in team member's session (an account is made on first use). */
  team(email: string, options?: { role?: 'practitioner' | 'peer_worker'; name?: string }): Promise<HttpSession>;
  /** A network with a team member assigned, one member with an invite, and one meeting at `meetingAt`. */
  seed(options: { teamEmail: string; meetingAt: Date }): Promise<{ networkId: string; meetingId: string; member: HttpSession }>;
  close(): void;
}

/**
 * The real app (routes, services, SQLite stores in a temporary DATA_DIR) answered in-process with
 * `app.request()`, without video. For route tests that need no socket and no second process.
 */
export function createInProcessApp(options: { clientDir?: string; start?: Date } = {}): InProcessApp {
  const dataDir = mkdtempSync(join(tmpdir(), 'polyphony-inproc-'));
  const db = openDatabase(dataDir);
  const stores = createSqliteStores(db);
  let current = options.start ?? new Date();
  const clock = { now: () => new Date(current), set: (at: Date) => void (current = at) };
  const logger = createLogger({ service: 'polyphony-test' });
  const media = createMediaStateHolder({ status: 'unavailable', reason: 'Video is off in this test.' });
  const secret = loadOrCreateServerSecret(dataDir);
  const signer = createTicketSigner(secret);
  const services = createServices({
    stores,
    serverSecret: secret,
    media,
    rooms: createLiveRooms(media, logger),
    signTicket: (claims) => signer.sign(claims),
    // The real outbox, not started: events are recorded and delivered to this process's (no) consumers.
    events: createOutboxEvents({ store: createSqliteAccessEventStore(db), origin: 'in-process-test', logger }),
    logger,
    now: clock.now,
  });
  const app = createApp({ logger, services, stores, media, publicUrl: undefined, checkHealth: () => {}, clientDir: options.clientDir });
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
    clock,
    team,
    async seed({ teamEmail, meetingAt }) {
      await team(teamEmail);
      const network = await services.networks.create(SYSTEM, { personName: 'Jo', referredAt: clock.now().toISOString() });
      await services.networks.assign(SYSTEM, network.id, teamEmail);
      const member = await services.networks.addMember(SYSTEM, network.id, { name: 'Sam', relationship: 'brother', interpreter: false });
      const invite = await services.invites.create(SYSTEM, member.id, 14, BASE_URL);
      const meeting = await services.meetings.create(SYSTEM, network.id, { scheduledAt: meetingAt.toISOString() });
      return { networkId: network.id, meetingId: meeting.id, member: HttpSession.forInvite(BASE_URL, invite.url, { fetch: fetchInProcess }) };
    },
    close() {
      db.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
