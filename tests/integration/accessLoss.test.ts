import { DatabaseSync } from 'node:sqlite';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { JoinMeetingResponse } from '../../shared/api/meetings.ts';
import { SYNC_CLOSE, SYNC_CLOSE_REASON } from '../../shared/protocol/sync.ts';
import { DATABASE_FILE } from '../../server/store/database.ts';
import { cli } from '../helpers/cli.ts';
import { closeCodeOf, connectDocClient, joinAndConnect } from '../helpers/docClient.ts';
import { HttpSession } from '../helpers/httpSession.ts';
import { addUser, PASSWORD, seedNetwork } from '../helpers/seed.ts';
import { embeddedLiveKitEnv, startServerProcess, type ServerProcess } from '../helpers/serverProcess.ts';

/**
 * Losing access ends everything at once, whichever way it is lost and whichever process made the change
 * (the server's API or the ops CLI on the same data directory): open shared-space sockets close with a
 * reason the app can show, and an ended meeting's video room cannot be brought back with a kept token.
 */
let server: ServerProcess;
let admin: HttpSession;

beforeAll(async () => {
  server = await startServerProcess({ env: await embeddedLiveKitEnv() });
  await addUser(server.dataDir, 'admin@team.org', { admin: true });
  admin = new HttpSession(server.url);
  await admin.login('admin@team.org', PASSWORD);
});
afterAll(async () => server?.dispose());

/** Connects a stock client and records how its socket was closed. */
function watchCloses(client: ReturnType<typeof connectDocClient>) {
  const closes: { code: number; reason: string }[] = [];
  client.provider.on('connection-close', (event: CloseEvent | null) => event && closes.push({ code: event.code, reason: event.reason }));
  return closes;
}

async function memberInMeeting(dataDir: string, team: string[]) {
  const seeded = await seedNetwork(dataDir, { team });
  const member = HttpSession.forInvite(server.url, seeded.inviteUrl);
  const { joined, client } = await joinAndConnect(member, seeded.meetingId, 'Sam');
  const network = connectDocClient(server.url, joined.networkSync);
  await network.synced;
  return { seeded, joined, client, network, closes: watchCloses(client), networkCloses: watchCloses(network) };
}

describe('a team member taken off the network (regression: their sockets stayed open and their writes were stored)', () => {
  it('loses the meeting and network documents at once, and a new connection is refused', async () => {
    await addUser(server.dataDir, 'pat@team.org');
    const seeded = await seedNetwork(server.dataDir, { team: ['pat@team.org'] });
    const pat = new HttpSession(server.url);
    await pat.login('pat@team.org', PASSWORD);
    const { joined, client } = await joinAndConnect(pat, seeded.meetingId, 'Pat');
    const closes = watchCloses(client);
    const userId = joined.participantId.replace(/^user-/, '');

    expect((await admin.request('POST', `/api/networks/${seeded.networkId}/team/${userId}/unassign`, { reason: 'moved to another team' })).status).toBe(200);
    await vi.waitFor(() => expect(closes).toContainEqual({ code: SYNC_CLOSE.forbidden, reason: SYNC_CLOSE_REASON.accessRevoked }));
    client.destroy();
    expect(await closeCodeOf(server.url, joined.sync)).toBe(SYNC_CLOSE.forbidden);
  });
});

describe('a team account deactivated (regression: a team account could not be deactivated at all)', () => {
  it('loses its open sockets at once, from the API and from the ops CLI', async () => {
    for (const [email, how] of [
      ['dee@team.org', 'api'],
      ['cli@team.org', 'cli'],
    ] as const) {
      const userId = await addUser(server.dataDir, email);
      const seeded = await seedNetwork(server.dataDir, { team: [email] });
      const session = new HttpSession(server.url);
      await session.login(email, PASSWORD);
      const { joined, client } = await joinAndConnect(session, seeded.meetingId, 'Dee');
      const closes = watchCloses(client);
      if (how === 'api') expect((await admin.request('POST', `/api/users/${userId}/deactivate`, { reason: 'left the service' })).status).toBe(200);
      else await cli(server.dataDir, ['user', 'deactivate', '--user', email, '--reason', 'left the service']);
      await vi.waitFor(() => expect(closes).toContainEqual({ code: SYNC_CLOSE.forbidden, reason: SYNC_CLOSE_REASON.accessRevoked }));
      client.destroy();
      expect(await closeCodeOf(server.url, joined.sync)).toBe(SYNC_CLOSE.forbidden);
    }
  });
});

describe('login sessions that end (logout, or ended by an admin)', () => {
  it('close the sockets opened in them, and only those', async () => {
    const userId = await addUser(server.dataDir, 'ses@team.org');
    const seeded = await seedNetwork(server.dataDir, { team: ['ses@team.org'] });
    const [laptop, phone] = [new HttpSession(server.url), new HttpSession(server.url)];
    await laptop.login('ses@team.org', PASSWORD);
    await phone.login('ses@team.org', PASSWORD);
    const onLaptop = await joinAndConnect(laptop, seeded.meetingId, 'Ses');
    const onPhone = await joinAndConnect(phone, seeded.meetingId, 'Ses');
    const [laptopCloses, phoneCloses] = [watchCloses(onLaptop.client), watchCloses(onPhone.client)];

    expect((await laptop.request('POST', '/api/auth/logout', {})).status).toBe(200);
    await vi.waitFor(() => expect(laptopCloses).toContainEqual({ code: SYNC_CLOSE.forbidden, reason: SYNC_CLOSE_REASON.accessRevoked }));
    expect(phoneCloses).toEqual([]);

    expect((await admin.request('DELETE', `/api/users/${userId}/sessions`)).status).toBe(200);
    await vi.waitFor(() => expect(phoneCloses).toContainEqual({ code: SYNC_CLOSE.forbidden, reason: SYNC_CLOSE_REASON.accessRevoked }));
    onLaptop.client.destroy();
    onPhone.client.destroy();
    expect(await closeCodeOf(server.url, onPhone.joined.sync)).toBe(SYNC_CLOSE.forbidden);
  });
});

describe('a network member removed by the team (finding: a member could not be removed at all)', () => {
  it('loses every open socket at once, and their link is refused from then on', async () => {
    const { seeded, client, network, closes, networkCloses } = await memberInMeeting(server.dataDir, []);
    const res = await admin.request('POST', `/api/networks/${seeded.networkId}/members/${seeded.memberId}/remove`, { reason: 'asked to leave the meetings' });
    expect(res.status).toBe(200);
    await vi.waitFor(() => expect(closes).toContainEqual({ code: SYNC_CLOSE.forbidden, reason: SYNC_CLOSE_REASON.accessRevoked }));
    await vi.waitFor(() => expect(networkCloses).toContainEqual({ code: SYNC_CLOSE.forbidden, reason: SYNC_CLOSE_REASON.accessRevoked }));
    client.destroy();
    network.destroy();
    expect((await HttpSession.forInvite(server.url, seeded.inviteUrl).request('GET', '/api/invite')).status).toBe(401);
  });
});

describe('an invite that runs out mid-meeting (regression: the holder kept receiving edits for as long as they stayed)', () => {
  it('closes its sockets when its expiry passes, with a reason saying so', async () => {
    const { seeded, client, network, closes, networkCloses } = await memberInMeeting(server.dataDir, []);
    // The CLI makes invites of whole days; bring this one's end to two seconds from now, as time would.
    const db = new DatabaseSync(join(server.dataDir, DATABASE_FILE));
    db.prepare('UPDATE invites SET expires_at = ? WHERE id = ?').run(new Date(Date.now() + 2_000).toISOString(), seeded.inviteId);
    db.close();
    // Still open now: access ends at the expiry, not before.
    expect(closes).toEqual([]);
    await vi.waitFor(() => expect(closes).toContainEqual({ code: SYNC_CLOSE.forbidden, reason: SYNC_CLOSE_REASON.accessExpired }), { timeout: 10_000 });
    await vi.waitFor(() => expect(networkCloses).toContainEqual({ code: SYNC_CLOSE.forbidden, reason: SYNC_CLOSE_REASON.accessExpired }));
    client.destroy();
    network.destroy();
  });
});

describe('erasing a network with the ops CLI while the server runs (regression: sockets stayed open and the notes were served from memory)', () => {
  it('closes every socket on its documents, saying the network was deleted', async () => {
    const { seeded, client, network, closes, networkCloses } = await memberInMeeting(server.dataDir, []);
    await cli(server.dataDir, ['network', 'delete', '--network', seeded.networkId, '--confirm']);
    await vi.waitFor(() => expect(closes).toContainEqual({ code: SYNC_CLOSE.forbidden, reason: SYNC_CLOSE_REASON.networkDeleted }));
    await vi.waitFor(() => expect(networkCloses).toContainEqual({ code: SYNC_CLOSE.forbidden, reason: SYNC_CLOSE_REASON.networkDeleted }));
    client.destroy();
    network.destroy();
  });
});

describe('ending a meeting with the ops CLI', () => {
  it('seals the document: writers are closed with "meeting ended"', async () => {
    const { seeded, client, network, closes } = await memberInMeeting(server.dataDir, []);
    await cli(server.dataDir, ['meeting', 'end', '--meeting', seeded.meetingId]);
    await vi.waitFor(() => expect(closes).toContainEqual({ code: SYNC_CLOSE.forbidden, reason: SYNC_CLOSE_REASON.meetingEnded }));
    client.destroy();
    network.destroy();
  });
});

describe('the video room of an ended meeting (regression: a rejoin with a kept token re-created it)', () => {
  it('cannot be brought back with a token minted before the end', async () => {
    await addUser(server.dataDir, 'kim@team.org');
    const seeded = await seedNetwork(server.dataDir, { team: ['kim@team.org'] });
    const kim = new HttpSession(server.url);
    await kim.login('kim@team.org', PASSWORD);
    const joined = JoinMeetingResponse.parse(await kim.json('POST', `/api/meetings/${seeded.meetingId}/join`, { displayName: 'Kim' }));
    const { media } = joined;
    if (media.status !== 'available') throw new Error('video should be available in this test');
    // LiveKit's own check of a join: the room exists while the meeting runs...
    expect(await validateJoin(media.url, media.token)).toBe(200);

    expect((await kim.request('POST', `/api/meetings/${seeded.meetingId}/end`, {})).status).toBe(200);
    // ...and after the end the same token finds no room, and cannot create one.
    await vi.waitFor(async () => expect(await validateJoin(media.url, media.token)).toBe(404));
  });

});

/** LiveKit's `/rtc/validate`: the same checks as a real join (token, room), without WebRTC. */
async function validateJoin(wsUrl: string, token: string): Promise<number> {
  const res = await fetch(`${wsUrl.replace(/^ws/, 'http')}/rtc/validate?access_token=${encodeURIComponent(token)}`);
  await res.arrayBuffer();
  return res.status;
}
