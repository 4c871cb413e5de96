import { describe, expect, it } from 'vitest';
import { AccountList, AddAccountResponse, DeactivateResponse, ResetLinkResponse, SessionList } from '../../shared/api/accounts.ts';
import { ErrorBody } from '../../shared/api/errors.ts';
import type { Principal } from '../../server/services/principal.ts';
import { useCleanups } from '../helpers/cleanups.ts';
import { startInProcessApp, type AccountsApp } from '../helpers/inProcessApp.ts';

const cleanup = useCleanups();
const SYSTEM: Principal = { kind: 'system' };
const PASSWORD = 'correct horse battery staple';

async function withTeam(options: Parameters<typeof startInProcessApp>[1] = {}) {
  const ctx = await startInProcessApp(cleanup, options);
  const admin = await ctx.services.auth.createUser({ email: 'admin@team.org', name: 'Ada', role: 'practitioner', isAdmin: true, password: PASSWORD });
  const pat = await ctx.services.auth.createUser({ email: 'pat@team.org', name: 'Pat', role: 'practitioner', isAdmin: false, password: PASSWORD });
  return { ...ctx, admin, pat };
}

async function loggedIn(ctx: AccountsApp, email: string, address = '127.0.0.1') {
  const client = ctx.client(address);
  const res = await client.login(email, PASSWORD);
  if (res.status !== 200) throw new Error(`login of ${email} answered ${res.status}: ${await res.text()}`);
  return client;
}

async function errorOf(res: Response) {
  return { status: res.status, ...ErrorBody.parse(await res.json()).error };
}

describe('login throttling (security review: a stranger could lock a team member out)', () => {
  it('lets a practitioner log in from their own address after a stranger sent twelve wrong passwords', async () => {
    const ctx = await withTeam();
    const stranger = ctx.client('198.51.100.7');
    for (let i = 0; i < 12; i++) expect([401, 429]).toContain((await stranger.login('pat@team.org', `wrong guess number ${i}`)).status);
    expect((await ctx.client('203.0.113.20').login('pat@team.org', PASSWORD)).status).toBe(200);
    // The stranger's own pair is the one held back, and the failures stay in the audit log.
    expect((await stranger.login('pat@team.org', PASSWORD)).status).toBe(429);
    const failed = (await ctx.stores.audit.list({ limit: 100 })).filter((e) => e.action === 'login_failed' && e.targetId === ctx.pat.id);
    expect(failed.length).toBeGreaterThanOrEqual(5);
  });

  it('with TRUSTED_PROXIES, throttles each client behind the proxy by its own address, not one shared bucket', async () => {
    const ctx = await withTeam({ trustedProxies: ['127.0.0.1'] });
    const viaProxy = (client: string) => ({ 'x-forwarded-for': client });
    const guesser = ctx.client('127.0.0.1');
    for (let i = 0; i < 100; i++) {
      await guesser.request('POST', '/api/auth/login', { email: `nobody${i % 20}@team.org`, password: 'not the password' }, viaProxy('198.51.100.7'));
    }
    const colleague = ctx.client('127.0.0.1');
    const res = await colleague.request('POST', '/api/auth/login', { email: 'pat@team.org', password: PASSWORD }, viaProxy('203.0.113.20'));
    expect(res.status).toBe(200);
    const blocked = await guesser.request('POST', '/api/auth/login', { email: 'pat@team.org', password: PASSWORD }, viaProxy('198.51.100.7'));
    expect(blocked.status).toBe(429);
    expect(blocked.headers.get('retry-after')).toMatch(/^\d+$/);
    const [session] = SessionList.parse(await (await loggedIn(ctx, 'admin@team.org')).json('GET', `/api/users/${ctx.pat.id}/sessions`)).sessions;
    expect(session?.address).toBe('203.0.113.20');
  });

  it('ignores X-Forwarded-For from a peer that is not a trusted proxy', async () => {
    const ctx = await withTeam({ trustedProxies: ['10.0.0.1'] });
    const client = ctx.client('198.51.100.7');
    await client.request('POST', '/api/auth/login', { email: 'pat@team.org', password: PASSWORD }, { 'x-forwarded-for': '203.0.113.99' });
    const [session] = SessionList.parse(await (await loggedIn(ctx, 'admin@team.org')).json('GET', `/api/users/${ctx.pat.id}/sessions`)).sessions;
    expect(session?.address).toBe('198.51.100.7');
  });
});

describe('first-run setup (security review: five simultaneous uses of the link made five admins)', () => {
  it('makes exactly one admin from five simultaneous requests with the same link', async () => {
    const ctx = await startInProcessApp(cleanup);
    const token = await ctx.services.auth.issueSetupToken();
    const answers = await Promise.all(
      [0, 1, 2, 3, 4].map((i) => ctx.client().request('POST', '/api/setup', { token, email: `first${i}@team.org`, name: `First ${i}`, password: PASSWORD })),
    );
    expect(answers.map((r) => r.status).sort()).toEqual([201, 403, 403, 403, 403]);
    expect((await ctx.stores.users.list()).filter((u) => u.isAdmin)).toHaveLength(1);
  });

  it('keeps the link usable when the password is refused', async () => {
    const ctx = await startInProcessApp(cleanup);
    const token = await ctx.services.auth.issueSetupToken();
    const weak = await ctx.client().request('POST', '/api/setup', { token, email: 'ana@team.org', name: 'Ana', password: 'aaaaaaaaaaaaaaaa' });
    expect(await errorOf(weak)).toMatchObject({ status: 400, code: 'bad_request' });
    expect((await ctx.client().request('POST', '/api/setup', { token, email: 'ana@team.org', name: 'Ana', password: PASSWORD })).status).toBe(201);
  });
});

describe('new passwords (security review: "aaaaaaaaaaaa" was accepted)', () => {
  it('refuses "aaaaaaaaaaaa", "password1234" and other guessable passwords for a new account, saying why', async () => {
    const ctx = await withTeam();
    const admin = await loggedIn(ctx, 'admin@team.org');
    const create = (password: string) => admin.request('POST', '/api/users', { email: 'kim@team.org', name: 'Kim Lee', role: 'peer_worker', password });
    for (const password of ['aaaaaaaaaaaa', 'password1234']) {
      const refused = await errorOf(await create(password));
      expect(refused).toMatchObject({ status: 400, code: 'bad_request' });
      expect(refused.message).toMatch(/at least 15 characters/);
    }
    expect((await errorOf(await create('password12345678'))).message).toMatch(/too easy to guess/);
    expect((await errorOf(await create('kim-polyphony-lee'))).message).toMatch(/your name, your email or the word "Polyphony"/);
    expect((await create('lantern river spoon march')).status).toBe(201);
  });
});

describe('deactivating a team account (security review: accounts could not be deactivated)', () => {
  it('ends its sessions at once, takes it off every network with the reason kept, and refuses its login', async () => {
    const ctx = await withTeam();
    const network = await ctx.services.networks.create(SYSTEM, { personName: 'Jo', referredAt: new Date().toISOString() });
    await ctx.services.networks.assign(SYSTEM, network.id, 'pat@team.org');
    const pat = await loggedIn(ctx, 'pat@team.org');
    expect((await pat.request('GET', `/api/networks/${network.id}`)).status).toBe(200);

    const admin = await loggedIn(ctx, 'admin@team.org');
    const done = DeactivateResponse.parse(await admin.json('POST', `/api/users/${ctx.pat.id}/deactivate`, { reason: 'Left the team' }));
    expect(done).toMatchObject({ networkIds: [network.id], sessionsEnded: 1 });
    expect(done.account.deactivatedAt).toBeTypeOf('string');

    expect((await pat.request('GET', '/api/networks')).status).toBe(401);
    const [assignment] = await ctx.stores.networks.team(network.id);
    expect(assignment).toMatchObject({ userId: ctx.pat.id, reason: 'Left the team' });
    expect(assignment?.unassignedAt).toBeTypeOf('string');
    const audit = await ctx.stores.audit.list({ limit: 20 });
    expect(audit).toContainEqual(expect.objectContaining({ action: 'user_deactivated', targetId: ctx.pat.id, reason: 'Left the team' }));
    expect(audit).toContainEqual(expect.objectContaining({ action: 'team_unassigned', networkId: network.id, reason: 'Left the team' }));
    expect(ctx.deactivations).toEqual([{ userId: ctx.pat.id, networkIds: [network.id] }]);

    const refused = await errorOf(await ctx.client().login('pat@team.org', PASSWORD));
    expect(refused.status).toBe(403);
    expect(refused.message).toMatch(/deactivated/);
    expect((await ctx.client().login('pat@team.org', 'not the password at all')).status).toBe(401);
  });

  it('reactivates without putting the account back on its networks', async () => {
    const ctx = await withTeam();
    const network = await ctx.services.networks.create(SYSTEM, { personName: 'Jo', referredAt: new Date().toISOString() });
    await ctx.services.networks.assign(SYSTEM, network.id, 'pat@team.org');
    const admin = await loggedIn(ctx, 'admin@team.org');
    await admin.json('POST', `/api/users/${ctx.pat.id}/deactivate`, { reason: 'On leave' });
    await admin.json('POST', `/api/users/${ctx.pat.id}/reactivate`, {});
    const pat = await loggedIn(ctx, 'pat@team.org');
    expect((await pat.request('GET', `/api/networks/${network.id}`)).status).toBe(403);
    const accounts = AccountList.parse(await admin.json('GET', '/api/users')).accounts;
    expect(accounts.find((a) => a.id === ctx.pat.id)?.deactivatedAt).toBeUndefined();
  });

  it('refuses to deactivate the last active admin, and lets only admins deactivate', async () => {
    const ctx = await withTeam();
    const admin = await loggedIn(ctx, 'admin@team.org');
    expect(await errorOf(await admin.request('POST', `/api/users/${ctx.admin.id}/deactivate`, { reason: 'Testing' }))).toMatchObject({ status: 409, code: 'conflict' });
    const pat = await loggedIn(ctx, 'pat@team.org');
    expect((await pat.request('POST', `/api/users/${ctx.admin.id}/deactivate`, { reason: 'Mischief' })).status).toBe(403);
    expect((await pat.request('GET', '/api/users')).status).toBe(403);
    expect((await admin.request('POST', `/api/users/${ctx.pat.id}/deactivate`, { reason: '' })).status).toBe(400);
  });
});

describe('adding accounts in the browser (finding: team accounts could be made only with the ops CLI)', () => {
  const LEE = { email: 'lee@team.org', name: 'Lee', role: 'peer_worker', isAdmin: false };

  it('adds an account with a first password, or with a one-time link the person chooses their own with, and audits who added it', async () => {
    const ctx = await withTeam();
    const admin = await loggedIn(ctx, 'admin@team.org');
    const withPassword = AddAccountResponse.parse(await admin.json('POST', '/api/users', { ...LEE, password: 'willow kettle orbit candle' }));
    expect(withPassword.reset).toBeUndefined();
    expect((await ctx.client().login('lee@team.org', 'willow kettle orbit candle')).status).toBe(200);

    const res = await admin.request('POST', '/api/users', { ...LEE, email: 'kim@team.org', name: 'Kim' });
    expect(res.status).toBe(201);
    const withLink = AddAccountResponse.parse(await res.json());
    const token = withLink.reset?.url.split('#')[1];
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect((await ctx.client().request('POST', '/api/auth/reset-password', { token, password: 'paper moon drifting slowly' })).status).toBe(200);
    expect((await ctx.client().login('kim@team.org', 'paper moon drifting slowly')).status).toBe(200);

    const created = (await ctx.stores.audit.list({ limit: 50 })).filter((e) => e.action === 'user_created');
    expect(created.map((e) => [e.actorId, e.targetId])).toEqual([
      [ctx.admin.id, withLink.user.id],
      [ctx.admin.id, withPassword.user.id],
    ]);
  });

  it('refuses every account change from a team member who is not an admin, and from nobody', async () => {
    const ctx = await withTeam();
    const admin = await loggedIn(ctx, 'admin@team.org');
    const ana = await ctx.services.auth.createUser({ email: 'ana@team.org', name: 'Ana', role: 'practitioner', isAdmin: false, password: PASSWORD });
    await admin.json('POST', `/api/users/${ana.id}/deactivate`, { reason: 'on leave' });
    const pat = await loggedIn(ctx, 'pat@team.org');
    const nobody = ctx.client();
    for (const [who, status] of [
      [pat, 403],
      [nobody, 401],
    ] as const) {
      expect((await who.request('POST', '/api/users', { ...LEE, password: 'willow kettle orbit candle' })).status).toBe(status);
      expect((await who.request('POST', '/api/users', { bogus: true })).status).toBe(status);
      expect((await who.request('POST', `/api/users/${ana.id}/reactivate`, {})).status).toBe(status);
      expect((await who.request('POST', `/api/users/${ctx.admin.id}/password-reset`, {})).status).toBe(status);
      expect((await who.request('POST', `/api/users/${ctx.admin.id}/deactivate`, { reason: 'mischief' })).status).toBe(status);
    }
    const accounts = AccountList.parse(await admin.json('GET', '/api/users')).accounts;
    expect(accounts.map((a) => a.email).sort()).toEqual(['admin@team.org', 'ana@team.org', 'pat@team.org']);
    expect(accounts.find((a) => a.id === ana.id)?.deactivatedAt).toBeDefined();
    expect((await ctx.stores.audit.list({ limit: 50 })).filter((e) => e.action === 'password_reset_issued')).toEqual([]);
  });
});

describe('password reset links', () => {
  it('sets a new password once, ends every session of the account, and cannot be used again', async () => {
    const ctx = await withTeam();
    const pat = await loggedIn(ctx, 'pat@team.org');
    const admin = await loggedIn(ctx, 'admin@team.org');
    const { url } = ResetLinkResponse.parse(await admin.json('POST', `/api/users/${ctx.pat.id}/password-reset`, {}));
    expect(url).toMatch(/^http:\/\/localhost\/reset-password#[A-Za-z0-9_-]{43}$/);
    const token = url.split('#')[1];
    const weak = await ctx.client().request('POST', '/api/auth/reset-password', { token, password: 'qwertyuiopasdfgh' });
    expect(weak.status).toBe(400);
    const answers = await Promise.all(
      [0, 1, 2].map(() => ctx.client().request('POST', '/api/auth/reset-password', { token, password: 'new lantern river spoon' })),
    );
    expect(answers.map((r) => r.status).sort()).toEqual([200, 403, 403]);
    expect((await pat.request('GET', '/api/auth/session')).status).toBe(401);
    expect((await ctx.client().login('pat@team.org', PASSWORD)).status).toBe(401);
    expect((await ctx.client().login('pat@team.org', 'new lantern river spoon')).status).toBe(200);
  });

  it('lets a team member change their own password with the current one, ending their other sessions', async () => {
    const ctx = await withTeam();
    const laptop = await loggedIn(ctx, 'pat@team.org');
    const phone = await loggedIn(ctx, 'pat@team.org');
    const wrong = await laptop.request('POST', '/api/auth/password', { currentPassword: 'not it', newPassword: 'new lantern river spoon' });
    expect(wrong.status).toBe(400);
    await laptop.json('POST', '/api/auth/password', { currentPassword: PASSWORD, newPassword: 'new lantern river spoon' });
    expect((await laptop.request('GET', '/api/auth/session')).status).toBe(200);
    expect((await phone.request('GET', '/api/auth/session')).status).toBe(401);
  });
});

describe('active sessions', () => {
  it('shows admins each session with its address and a truncated user agent, and ends one or all', async () => {
    const ctx = await withTeam();
    const laptop = ctx.client('198.51.100.1');
    await laptop.request('POST', '/api/auth/login', { email: 'pat@team.org', password: PASSWORD }, { 'user-agent': `Mozilla/5.0 ${'x'.repeat(500)}` });
    const phone = await loggedIn(ctx, 'pat@team.org', '198.51.100.2');
    const admin = await loggedIn(ctx, 'admin@team.org');
    const sessions = SessionList.parse(await admin.json('GET', `/api/users/${ctx.pat.id}/sessions`)).sessions;
    expect(sessions.map((s) => s.address).sort()).toEqual(['198.51.100.1', '198.51.100.2']);
    expect(sessions.find((s) => s.address === '198.51.100.1')?.userAgent?.length).toBe(160);
    expect(sessions.every((s) => s.lastSeenAt >= s.createdAt)).toBe(true);

    const laptopSession = sessions.find((s) => s.address === '198.51.100.1');
    await admin.json('DELETE', `/api/users/${ctx.pat.id}/sessions/${laptopSession?.id}`);
    expect((await laptop.request('GET', '/api/auth/session')).status).toBe(401);
    expect((await phone.request('GET', '/api/auth/session')).status).toBe(200);
    expect(await admin.json('DELETE', `/api/users/${ctx.pat.id}/sessions`)).toEqual({ ended: 1 });
    expect((await phone.request('GET', '/api/auth/session')).status).toBe(401);
  });
});

describe('last-seen times', () => {
  it('records a session\'s use at most once a minute, not on every request', async () => {
    let now = new Date('2026-03-01T09:00:00.000Z');
    const ctx = await withTeam({ now: () => now });
    const pat = await loggedIn(ctx, 'pat@team.org');
    const lastSeen = async () => (await ctx.stores.sessions.listForUser(ctx.pat.id, now))[0]?.lastSeenAt;
    now = new Date('2026-03-01T09:00:59.000Z');
    await pat.json('GET', '/api/auth/session');
    expect(await lastSeen()).toBe('2026-03-01T09:00:00.000Z');
    now = new Date('2026-03-01T09:01:01.000Z');
    await pat.json('GET', '/api/auth/session');
    expect(await lastSeen()).toBe('2026-03-01T09:01:01.000Z');
  });
});

describe('the session cookie (security review: no Secure flag behind a TLS-terminating proxy)', () => {
  it('is Secure when PUBLIC_URL is https, though the request reached us over http', async () => {
    const ctx = await withTeam({ publicUrl: 'https://polyphony.example.org' });
    const client = ctx.client();
    expect((await client.login('pat@team.org', PASSWORD)).status).toBe(200);
    expect(client.lastSetCookie).toMatch(/;\s*Secure/i);
    expect(client.lastSetCookie).toMatch(/HttpOnly/i);
  });

  it('is not Secure for a plain-http PUBLIC_URL (local use)', async () => {
    const ctx = await withTeam({ publicUrl: 'http://localhost:8080' });
    const client = ctx.client();
    await client.login('pat@team.org', PASSWORD);
    expect(client.lastSetCookie).not.toMatch(/Secure/i);
  });
});
