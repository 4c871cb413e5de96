import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { MediaKeyResponse } from '../../shared/api/meetings.ts';
import { participantIdentityOf } from '../../shared/media/rooms.ts';
import { SYNC_CLOSE, SYNC_CLOSE_REASON } from '../../shared/protocol/sync.ts';
import { ACCESS_EVENT_CHANNEL } from '../../server/store/postgres/accessEventStore.ts';
import { closeCodeOf, connectDocClient, joinAndConnect } from '../helpers/docClient.ts';
import { HttpSession } from '../helpers/httpSession.ts';
import { parsePrometheusText } from '../helpers/prometheusText.ts';
import { addUser, PASSWORD, seedNetwork } from '../helpers/seed.ts';
import { startServerProcess, type ServerProcess } from '../helpers/serverProcess.ts';
import { engineFor, testEngine } from '../helpers/testStores.ts';
import { externalLiveKitEnv, participantWebhookBody, postWebhook } from './helpers/recordFixtures.ts';

/**
 * Two instances on one PostgreSQL database (as behind a load balancer): what is done on one reaches the
 * other. Access events travel by NOTIFY, pushed (there is no poller left on PostgreSQL, so a close seen
 * here was pushed); sessions, login limits and webhook deliveries are in the store. Each latency from the
 * change's answer on A to the close on B is printed, not asserted (the machine is shared; see README).
 */
const METRICS_TOKEN = 'metrics-token-of-at-least-thirty-two-chars';

let a: ServerProcess;
let b: ServerProcess;
let adminA: HttpSession;
let databaseUrl: string;

describe.skipIf(testEngine() !== 'postgres')('two instances on one PostgreSQL database', () => {
  beforeAll(async () => {
    const env = { ...(await externalLiveKitEnv()), METRICS_TOKEN };
    a = await startServerProcess({ env });
    // The same data directory: the same server secret (tickets and invite links signed by A hold on B), and
    // through it the same database (testStores.ts), as two instances of one deployment share both.
    b = await startServerProcess({ dataDir: a.dataDir, env });
    databaseUrl = (await engineFor(a.dataDir)).env['DATABASE_URL'] ?? '';
    await addUser(a.dataDir, 'admin@team.org', { admin: true });
    adminA = new HttpSession(a.url);
    await adminA.login('admin@team.org', PASSWORD);
  });
  afterAll(async () => {
    await b?.stop();
    await a?.dispose();
  });

  /** Resolves with the first close of `client`'s socket and how long after `since()` it came. */
  const firstClose = (client: ReturnType<typeof connectDocClient>) =>
    new Promise<{ code: number; reason: string; at: number }>((done) => {
      client.provider.on('connection-close', (event: CloseEvent | null) => event && done({ code: event.code, reason: event.reason, at: performance.now() }));
    });

  // From the request sent to A (B often closes before A has answered: A commits, then answers).
  const report = (what: string, ms: number) => process.stdout.write(`[cross-instance] ${what}: closed on B ${Math.round(ms)} ms after the request to A\n`);

  it('closes the sync socket on B of a member whose invite is revoked on A', async () => {
    const seeded = await seedNetwork(a.dataDir, { team: [] });
    const { joined, client } = await joinAndConnect(HttpSession.forInvite(b.url, seeded.inviteUrl), seeded.meetingId, 'Sam');
    const closed = firstClose(client);
    const sent = performance.now();
    expect((await adminA.request('DELETE', `/api/invites/${seeded.inviteId}`)).status).toBe(200);
    expect(await closed).toMatchObject({ code: SYNC_CLOSE.forbidden, reason: SYNC_CLOSE_REASON.accessRevoked });
    report('invite revoked', (await closed).at - sent);
    client.destroy();
    expect(await closeCodeOf(b.url, joined.sync)).toBe(SYNC_CLOSE.forbidden);
  });

  it('closes the sockets on B of a meeting ended on A', async () => {
    const seeded = await seedNetwork(a.dataDir, { team: [] });
    const { client } = await joinAndConnect(HttpSession.forInvite(b.url, seeded.inviteUrl), seeded.meetingId, 'Sam');
    const closed = firstClose(client);
    const sent = performance.now();
    expect((await adminA.request('POST', `/api/meetings/${seeded.meetingId}/end`, {})).status).toBe(200);
    expect(await closed).toMatchObject({ code: SYNC_CLOSE.forbidden, reason: SYNC_CLOSE_REASON.meetingEnded });
    report('meeting ended', (await closed).at - sent);
    client.destroy();
  });

  it('makes B drop the documents of a network deleted on A, and refuse them from then on', async () => {
    // Documents of earlier tests leave B's memory after the unload grace; this one counts only its own.
    await vi.waitFor(() => expect(loadedDocuments(b)).resolves.toBe(0), { timeout: 20_000 });
    const seeded = await seedNetwork(a.dataDir, { team: [] });
    const { joined, client } = await joinAndConnect(HttpSession.forInvite(b.url, seeded.inviteUrl), seeded.meetingId, 'Sam');
    const network = connectDocClient(b.url, joined.networkSync);
    await network.synced;
    expect(await loadedDocuments(b)).toBe(2);
    const closed = firstClose(client);
    const sent = performance.now();
    expect((await adminA.request('DELETE', `/api/networks/${seeded.networkId}?confirm=yes`)).status).toBe(200);
    expect((await closed).code).toBe(SYNC_CLOSE.forbidden);
    report('network deleted', (await closed).at - sent);
    client.destroy();
    network.destroy();
    // Gone from B's memory at once, not after the unload grace (10 s): nothing of the network is kept there.
    await vi.waitFor(() => expect(loadedDocuments(b)).resolves.toBe(0), { timeout: 5_000 });
    expect(await closeCodeOf(b.url, joined.sync)).toBe(SYNC_CLOSE.forbidden);
  });

  it('ends on B the session and the sockets of a team member deactivated on A', async () => {
    const userId = await addUser(a.dataDir, 'dee@team.org');
    const seeded = await seedNetwork(a.dataDir, { team: ['dee@team.org'] });
    const dee = new HttpSession(b.url);
    await dee.login('dee@team.org', PASSWORD);
    const { client } = await joinAndConnect(dee, seeded.meetingId, 'Dee');
    const closed = firstClose(client);
    const sent = performance.now();
    expect((await adminA.request('POST', `/api/users/${userId}/deactivate`, { reason: 'left the service' })).status).toBe(200);
    expect(await closed).toMatchObject({ code: SYNC_CLOSE.forbidden, reason: SYNC_CLOSE_REASON.accessRevoked });
    report('user deactivated', (await closed).at - sent);
    client.destroy();
    expect((await dee.request('GET', '/api/auth/session')).status).toBe(401);
  });

  it('closes on B the sockets of a team member taken off the network on A', async () => {
    await addUser(a.dataDir, 'pat@team.org');
    const seeded = await seedNetwork(a.dataDir, { team: ['pat@team.org'] });
    const pat = new HttpSession(b.url);
    await pat.login('pat@team.org', PASSWORD);
    const { joined, client } = await joinAndConnect(pat, seeded.meetingId, 'Pat');
    const closed = firstClose(client);
    const userId = joined.participantId.replace(/^user-/, '');
    const sent = performance.now();
    expect((await adminA.request('POST', `/api/networks/${seeded.networkId}/team/${userId}/unassign`, { reason: 'moved to another team' })).status).toBe(200);
    expect(await closed).toMatchObject({ code: SYNC_CLOSE.forbidden, reason: SYNC_CLOSE_REASON.accessRevoked });
    report('team member taken off', (await closed).at - sent);
    client.destroy();
  });

  it('counts failed logins on A and B together', async () => {
    await addUser(a.dataDir, 'lee@team.org');
    const attempt = (server: ServerProcess) => new HttpSession(server.url).request('POST', '/api/auth/login', { email: 'lee@team.org', password: 'not the password' });
    // Five failures free per account and address (loginThrottle.ts), spread over both instances.
    for (const server of [a, b, a, b, a]) expect((await attempt(server)).status).toBe(401);
    // Each instance alone has seen at most three: only a shared count refuses the sixth, on either.
    expect((await attempt(b)).status).toBe(429);
    expect((await attempt(a)).status).toBe(429);
  });

  it('acts once on a LiveKit webhook delivered to A and again to B', async () => {
    const seeded = await seedNetwork(a.dataDir, { team: [] });
    const member = HttpSession.forInvite(a.url, seeded.inviteUrl);
    await member.json('POST', `/api/meetings/${seeded.meetingId}/join`, { displayName: 'Sam' });
    const keyIndex = async () => MediaKeyResponse.parse(await member.json('GET', `/api/meetings/${seeded.meetingId}/media-key`)).mediaKey.index;
    const before = await keyIndex();
    const identity = participantIdentityOf({ kind: 'member', id: seeded.memberId });
    const left = participantWebhookBody('participant_left', seeded.meetingId, identity, new Date(Math.floor(Date.now() / 1000) * 1000));
    expect((await postWebhook(a.url, left)).status).toBe(200);
    expect((await postWebhook(b.url, left)).status).toBe(200);
    // Someone leaving moves the meeting to a new media key once, and is recorded once.
    expect(await keyIndex()).toBe(before + 1);
    const rows = await query(databaseUrl, "SELECT count(*)::int AS n FROM audit_log WHERE meeting_id = $1 AND action = 'participant_left'", [seeded.meetingId]);
    expect(rows[0]?.['n']).toBe(1);
  });

  it('moves the meeting to a new media key once when an invite is revoked on A, though both instances hear it', async () => {
    const seeded = await seedNetwork(a.dataDir, { team: [] });
    const { client } = await joinAndConnect(HttpSession.forInvite(b.url, seeded.inviteUrl), seeded.meetingId, 'Sam');
    const closed = firstClose(client);
    expect((await adminA.request('DELETE', `/api/invites/${seeded.inviteId}`)).status).toBe(200);
    await closed;
    client.destroy();
    const rotations = async () => (await query(databaseUrl, "SELECT count(*)::int AS n FROM audit_log WHERE meeting_id = $1 AND action = 'media_key_rotated'", [seeded.meetingId]))[0]?.['n'];
    await vi.waitFor(async () => expect(await rotations()).toBe(1));
    // B rotates (if it does) right after closing the socket: a second rotation would have come by now.
    await new Promise((done) => setTimeout(done, 1_500));
    expect(await rotations()).toBe(1);
  });

  it('drops and counts a notification that does not parse, and acts on the next real event', async () => {
    const before = await malformedNotifications(b);
    const seeded = await seedNetwork(a.dataDir, { team: [] });
    const { client } = await joinAndConnect(HttpSession.forInvite(b.url, seeded.inviteUrl), seeded.meetingId, 'Sam');
    const closed = firstClose(client);
    // Not a number, and an event in the payload itself (events are only ever read from the outbox table).
    const forged = JSON.stringify({ kind: 'meeting_ended', meetingId: seeded.meetingId, networkId: seeded.networkId });
    for (const payload of ['not json', '{"seq":"1; DROP TABLE"}', forged]) await query(databaseUrl, 'SELECT pg_notify($1, $2)', [ACCESS_EVENT_CHANNEL, payload]);
    await vi.waitFor(async () => expect(await malformedNotifications(b)).toBe(before + 3));
    expect(client.provider.wsconnected).toBe(true);
    expect((await adminA.request('DELETE', `/api/invites/${seeded.inviteId}`)).status).toBe(200);
    expect((await closed).reason).toBe(SYNC_CLOSE_REASON.accessRevoked);
    client.destroy();
  });
});

async function scrape(server: ServerProcess) {
  const res = await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
  return parsePrometheusText(await res.text()).samples;
}

async function loadedDocuments(server: ServerProcess): Promise<number> {
  return (await scrape(server)).find((s) => s.name === 'polyphony_sync_documents_loaded')?.value ?? Number.NaN;
}

async function malformedNotifications(server: ServerProcess): Promise<number> {
  return (await scrape(server)).find((s) => s.name === 'polyphony_access_event_notifications_malformed_total')?.value ?? Number.NaN;
}

async function query(url: string, text: string, values: unknown[]): Promise<Record<string, unknown>[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<Record<string, unknown>>(text, values)).rows;
  } finally {
    await client.end();
  }
}
