import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { JoinMeetingResponse } from '../../shared/api/meetings.ts';
import { SYNC_CLOSE } from '../../shared/protocol/sync.ts';
import { cli } from '../helpers/cli.ts';
import { closeCodeOf, connectDocClient, joinAndConnect } from '../helpers/docClient.ts';
import { HttpSession } from '../helpers/httpSession.ts';
import { addUser, PASSWORD, seedNetwork, type SeededNetwork } from '../helpers/seed.ts';
import { embeddedLiveKitEnv, startServerProcess, type ServerProcess } from '../helpers/serverProcess.ts';

type Role =
  | 'admin'
  | 'assigned practitioner'
  | 'unassigned practitioner'
  | 'peer worker'
  | 'invited member'
  | 'member of another network'
  | 'revoked member'
  | 'anonymous';

/** What each role may do with network A's resources: the HTTP status each request must get. */
const MATRIX: Record<Role, { network: number; meeting: number; join: number; audit: number }> = {
  admin: { network: 200, meeting: 200, join: 200, audit: 200 },
  'assigned practitioner': { network: 200, meeting: 200, join: 200, audit: 403 },
  'unassigned practitioner': { network: 403, meeting: 403, join: 403, audit: 403 },
  'peer worker': { network: 200, meeting: 200, join: 200, audit: 403 },
  'invited member': { network: 403, meeting: 200, join: 200, audit: 403 },
  'member of another network': { network: 403, meeting: 403, join: 403, audit: 403 },
  'revoked member': { network: 401, meeting: 401, join: 401, audit: 401 },
  anonymous: { network: 401, meeting: 401, join: 401, audit: 401 },
};

let server: ServerProcess;
let a: SeededNetwork;
const sessions = new Map<Role, HttpSession>();

beforeAll(async () => {
  server = await startServerProcess({
    env: await embeddedLiveKitEnv(),
  });
  const dir = server.dataDir;
  await addUser(dir, 'admin@team.org', { admin: true });
  await addUser(dir, 'pat@team.org');
  await addUser(dir, 'una@team.org');
  await addUser(dir, 'peer@team.org', { role: 'peer_worker' });
  a = await seedNetwork(dir, { team: ['pat@team.org', 'peer@team.org'] });
  const b = await seedNetwork(dir, { team: ['una@team.org'], personName: 'Kim' });
  const revoked = await cli(dir, ['invite', 'create', '--member', a.memberId]);
  await cli(dir, ['invite', 'revoke', '--invite', String(revoked['id'])]);

  const team = async (email: string) => {
    const s = new HttpSession(server.url);
    await s.login(email, PASSWORD);
    return s;
  };
  sessions.set('admin', await team('admin@team.org'));
  sessions.set('assigned practitioner', await team('pat@team.org'));
  sessions.set('unassigned practitioner', await team('una@team.org'));
  sessions.set('peer worker', await team('peer@team.org'));
  sessions.set('invited member', HttpSession.forInvite(server.url, a.inviteUrl));
  sessions.set('member of another network', HttpSession.forInvite(server.url, b.inviteUrl));
  sessions.set('revoked member', HttpSession.forInvite(server.url, String(revoked['url'])));
  sessions.set('anonymous', new HttpSession(server.url));
});
afterAll(async () => server?.dispose());

describe.each(Object.entries(MATRIX) as [Role, (typeof MATRIX)[Role]][])('%s', (role, expected) => {
  const session = () => {
    const s = sessions.get(role);
    if (!s) throw new Error(`no session for ${role}`);
    return s;
  };

  it(`${expected.network === 200 ? 'reads' : 'is refused'} the network page`, async () => {
    expect((await session().request('GET', `/api/networks/${a.networkId}`)).status).toBe(expected.network);
  });

  it(`${expected.meeting === 200 ? 'reads' : 'is refused'} the meeting`, async () => {
    expect((await session().request('GET', `/api/meetings/${a.meetingId}`)).status).toBe(expected.meeting);
  });

  it(`${expected.join === 200 ? 'gets' : 'is refused'} a LiveKit token and the shared-space documents`, async () => {
    const res = await session().request('POST', `/api/meetings/${a.meetingId}/join`, { displayName: 'Someone' });
    expect(res.status).toBe(expected.join);
    if (res.status !== 200) return;
    const joined = JoinMeetingResponse.parse(await res.json());
    if (joined.media.status !== 'available') throw new Error('video should be available in this test');
    const claims = jwtClaims(joined.media.token);
    expect(claims.video).toMatchObject({ room: `meeting-${a.meetingId}`, roomJoin: true, hidden: false, recorder: false, roomAdmin: false });
    expect(claims.sub).toBe(joined.participantId);
    for (const access of [joined.sync, joined.networkSync]) {
      const client = connectDocClient(server.url, access);
      await client.synced;
      client.destroy();
    }
  });

  it(`${expected.audit === 200 ? 'reads' : 'is refused'} the audit log`, async () => {
    expect((await session().request('GET', '/api/audit')).status).toBe(expected.audit);
  });
});

/** A fresh invite for network A's member, used to join and open the meeting document; records close codes. */
async function memberConnectedWithNewInvite() {
  const invite = await cli(server.dataDir, ['invite', 'create', '--member', a.memberId]);
  const member = HttpSession.forInvite(server.url, String(invite['url']));
  const { joined, client } = await joinAndConnect(member, a.meetingId, 'Sam');
  const closes: number[] = [];
  client.provider.on('connection-close', (event: CloseEvent | null) => event && closes.push(event.code));
  return { invite, member, joined, client, closes };
}

describe('revoking an invite', () => {
  it('closes the holder’s open shared-space sockets at once and refuses their ticket afterwards', async () => {
    const { invite, member, joined, client, closes } = await memberConnectedWithNewInvite();

    const admin = sessions.get('admin');
    expect((await admin?.request('DELETE', `/api/invites/${String(invite['id'])}`))?.status).toBe(200);
    await vi.waitFor(() => expect(closes).toContain(SYNC_CLOSE.forbidden));
    client.destroy();
    // A new connection with the ticket minted before the revocation is refused before any document byte.
    expect(await closeCodeOf(server.url, joined.sync)).toBe(SYNC_CLOSE.forbidden);
    expect((await member.request('GET', `/api/meetings/${a.meetingId}`)).status).toBe(401);
  });

  it('made with the ops CLI while the server runs, still closes the open sockets', async () => {
    const { invite, client, closes } = await memberConnectedWithNewInvite();
    await cli(server.dataDir, ['invite', 'revoke', '--invite', String(invite['id'])]);
    await vi.waitFor(() => expect(closes).toContain(SYNC_CLOSE.forbidden), { timeout: 10_000 });
    client.destroy();
  });
});

describe('the audit log', () => {
  it('records logins, invites, revocations and joins, and never a name', async () => {
    const body = await sessions.get('admin')?.json('GET', '/api/audit?limit=1000');
    const text = JSON.stringify(body);
    for (const action of ['login', 'invite_created', 'invite_revoked', 'meeting_joined']) expect(text).toContain(`"${action}"`);
    expect(text).not.toContain('Someone');
    expect(text).not.toContain('Sam');
  });
});

/** The claims of a JWT, unverified: the test only reads what the server put in. */
function jwtClaims(token: string): { sub?: string; video?: Record<string, unknown> } {
  const payload = token.split('.')[1] ?? '';
  return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { sub?: string; video?: Record<string, unknown> };
}

