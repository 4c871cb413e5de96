import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SessionResponse } from '../../shared/api/auth.ts';
import { NetworkList } from '../../shared/api/networks.ts';
import { HttpSession } from '../helpers/httpSession.ts';
import { startServerProcess, type ServerProcess } from '../helpers/serverProcess.ts';

let server: ServerProcess;
beforeAll(async () => {
  server = await startServerProcess({ env: { LIVEKIT: 'off' } });
});
afterAll(async () => server?.dispose());

describe('first run', () => {
  it('prints a one-time setup link that creates the first admin, and works only once', async () => {
    const token = /\/setup#([A-Za-z0-9_-]+)/.exec(server.stdout())?.[1];
    if (!token) throw new Error(`no setup link printed; stdout was:\n${server.stdout()}`);
    const admin = new HttpSession(server.url);
    const body = { token, email: 'First@Team.org', name: 'Ana', password: 'a long enough passphrase' };
    const created = await admin.request('POST', '/api/setup', body);
    expect(created.status).toBe(201);
    expect(SessionResponse.parse(await created.json()).user).toMatchObject({ email: 'first@team.org', isAdmin: true });

    const again = await new HttpSession(server.url).request('POST', '/api/setup', { ...body, email: 'second@team.org' });
    expect(again.status).toBe(403);

    await admin.login('first@team.org', 'a long enough passphrase');
    expect(SessionResponse.parse(await admin.json('GET', '/api/auth/session')).user.name).toBe('Ana');
  });

  it('keeps every link printed by servers started one after another usable until one makes the admin, and makes one admin', async () => {
    // As instances of one deployment starting in turn on one database, each printing its own link.
    const first = await startServerProcess({ env: { LIVEKIT: 'off' } });
    const tokens: string[] = [];
    let current = first;
    for (let start = 0; start < 3; start++) {
      const token = /\/setup#([A-Za-z0-9_-]+)/.exec(current.stdout())?.[1];
      if (!token) throw new Error('no setup link printed');
      tokens.push(token);
      await current.stop();
      current = await startServerProcess({ dataDir: first.dataDir, env: { LIVEKIT: 'off' } });
    }
    try {
      const body = (token: string | undefined, n: number) => ({ token, email: `admin${n}@team.org`, name: 'Ana', password: 'a long enough passphrase' });
      // The two older links at once: both still valid, and only one of them makes an admin.
      const answers = await Promise.all([0, 1].map((n) => new HttpSession(current.url).request('POST', '/api/setup', body(tokens[n], n))));
      expect(answers.map((res) => res.status).sort()).toEqual([201, 403]);
      expect((await new HttpSession(current.url).request('POST', '/api/setup', body(tokens[2], 2))).status).toBe(403);
    } finally {
      await current.stop();
      await first.dispose();
    }
  });

  it('refuses a wrong setup token', async () => {
    const res = await new HttpSession(server.url).request('POST', '/api/setup', {
      token: 'wrong',
      email: 'x@team.org',
      name: 'X',
      password: 'a long enough passphrase',
    });
    expect(res.status).toBe(403);
  });
});

describe('a team session', () => {
  it('lists only the networks of its owner, and ends on logout', async () => {
    const admin = new HttpSession(server.url);
    await admin.login('first@team.org', 'a long enough passphrase');
    await admin.json('POST', '/api/users', { email: 'pat@team.org', name: 'Pat', role: 'practitioner', password: 'another long passphrase' });
    await admin.json('POST', '/api/networks', { personName: 'Jo', referredAt: new Date().toISOString() });
    const pat = new HttpSession(server.url);
    await pat.login('pat@team.org', 'another long passphrase');
    await pat.json('POST', '/api/networks', { personName: 'Kim', referredAt: new Date().toISOString() });

    const names = async (s: HttpSession) => NetworkList.parse(await s.json('GET', '/api/networks')).networks.map((n) => n.personName).sort();
    expect(await names(admin)).toEqual(['Jo', 'Kim']);
    expect(await names(pat)).toEqual(['Kim']);

    const stolenCookie = pat.copy();
    await pat.json('POST', '/api/auth/logout', {});
    expect((await pat.request('GET', '/api/networks')).status).toBe(401);
    expect((await stolenCookie.request('GET', '/api/networks')).status).toBe(401);
  });
});
