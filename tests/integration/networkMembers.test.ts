import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, describe, expect, it } from 'vitest';
import { ErrorBody } from '../../shared/api/errors.ts';
import { InviteLanding, NetworkDetail, type NetworkMember } from '../../shared/api/networks.ts';
import { COMMANDS } from '../../server/cli/commands.ts';
import { parseCommandLine } from '../../server/cli/parseArgs.ts';
import { openDatabase } from '../../server/store/database.ts';
import { createSqliteMemberStore } from '../../server/store/memberStore.ts';
import { HttpSession } from '../helpers/httpSession.ts';
import { createInProcessApp } from '../helpers/inProcessApp.ts';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const BASE_URL = 'http://localhost';

async function seeded() {
  const server = await createInProcessApp({ start: new Date('2026-03-02T08:00:00Z') });
  cleanups.push(() => server.close());
  const seed = await server.seed({ teamEmail: 'pat@team.org', meetingAt: new Date('2026-03-03T10:00:00Z') });
  const pat = await server.team('pat@team.org');
  return { server, pat, ...seed };
}

async function errorOf(res: Response) {
  return { status: res.status, code: ErrorBody.parse(await res.json()).error.code };
}

async function memberOf(pat: HttpSession, networkId: string, memberId: string): Promise<NetworkMember | undefined> {
  return NetworkDetail.parse(await pat.json('GET', `/api/networks/${networkId}`)).members.find((m) => m.id === memberId);
}

const EDIT = { name: 'Samuel', relationship: 'older brother', contact: '+47 912 34 567', interpreter: false, needsInterpreterIn: 'Polish' };

describe('editing a network member (finding: a member could not be edited at all)', () => {
  it('replaces their name, relationship, contact and the language they need an interpreter in, and audits it', async () => {
    const { server, pat, networkId, memberId } = await seeded();
    const res = await pat.request('PUT', `/api/networks/${networkId}/members/${memberId}`, EDIT);
    expect(res.status).toBe(200);
    expect(await memberOf(pat, networkId, memberId)).toMatchObject({ name: 'Samuel', relationship: 'older brother', contact: '+47 912 34 567', interpreter: false, needsInterpreterIn: 'Polish' });
    // Absent optional fields are cleared: the form sends the whole member.
    await pat.json('PUT', `/api/networks/${networkId}/members/${memberId}`, { name: 'Samuel', relationship: 'older brother', interpreter: true, interpreterLanguage: 'Arabic' });
    const member = await memberOf(pat, networkId, memberId);
    expect(member).toMatchObject({ interpreter: true, interpreterLanguage: 'Arabic' });
    expect(member?.contact).toBeUndefined();
    expect(member?.needsInterpreterIn).toBeUndefined();
    const audit = await server.stores.audit.list({ networkId, limit: 10 });
    expect(audit.filter((e) => e.action === 'member_updated' && e.targetId === memberId)).toHaveLength(2);
  });

  it('refuses an interpreter who also needs one, a language without being an interpreter, and unknown fields', async () => {
    const { pat, networkId, memberId } = await seeded();
    const put = (body: unknown) => pat.request('PUT', `/api/networks/${networkId}/members/${memberId}`, body);
    expect(await errorOf(await put({ ...EDIT, interpreter: true }))).toEqual({ status: 400, code: 'bad_request' });
    expect(await errorOf(await put({ name: 'Sam', relationship: 'brother', interpreterLanguage: 'Arabic' }))).toEqual({ status: 400, code: 'bad_request' });
    expect(await errorOf(await put({ ...EDIT, removedAt: '2026-01-01T00:00:00Z' }))).toEqual({ status: 400, code: 'bad_request' });
    expect(await errorOf(await put({ ...EDIT, name: ' ' }))).toEqual({ status: 400, code: 'bad_request' });
    expect((await memberOf(pat, networkId, memberId))?.name).toBe('Sam');
  });

  it('lets only the network\'s own team edit or remove its members', async () => {
    const { server, pat, networkId, memberId, member } = await seeded();
    const stranger = await server.team('lee@team.org');
    const anonymous = new HttpSession(BASE_URL, { fetch: server.fetch });
    const remove = { reason: 'moved away' };
    for (const [who, status] of [
      [stranger, 403],
      [member, 403],
      [anonymous, 401],
    ] as const) {
      expect((await who.request('PUT', `/api/networks/${networkId}/members/${memberId}`, EDIT)).status).toBe(status);
      expect((await who.request('POST', `/api/networks/${networkId}/members/${memberId}/remove`, remove)).status).toBe(status);
    }
    // A member id from another network is not found through this one.
    const other = await server.seed({ teamEmail: 'pat@team.org', meetingAt: new Date('2026-03-04T10:00:00Z') });
    expect((await pat.request('PUT', `/api/networks/${networkId}/members/${other.memberId}`, EDIT)).status).toBe(404);
    expect(await memberOf(pat, networkId, memberId)).toMatchObject({ name: 'Sam', relationship: 'brother' });
    expect((await memberOf(pat, networkId, memberId))?.removedAt).toBeUndefined();
  });
});

describe('removing a network member (finding: a member could not be removed)', () => {
  it('keeps them on the page with the reason, revokes their links at once, closes their connections, and audits it', async () => {
    const { server, pat, networkId, memberId, member } = await seeded();
    const second = await pat.json('POST', `/api/networks/${networkId}/members/${memberId}/invites`, {});
    expect((await member.request('GET', '/api/invite')).status).toBe(200);

    expect(await errorOf(await pat.request('POST', `/api/networks/${networkId}/members/${memberId}/remove`, { reason: '  ' }))).toEqual({ status: 400, code: 'bad_request' });
    const res = await pat.request('POST', `/api/networks/${networkId}/members/${memberId}/remove`, { reason: 'asked not to be part of the meetings' });
    expect(res.status).toBe(200);

    const detail = NetworkDetail.parse(await pat.json('GET', `/api/networks/${networkId}`));
    expect(detail.members.find((m) => m.id === memberId)).toMatchObject({ name: 'Sam', removedReason: 'asked not to be part of the meetings' });
    expect(detail.invites.filter((i) => i.memberId === memberId).every((i) => i.revokedAt !== undefined)).toBe(true);
    expect(await errorOf(await member.request('GET', '/api/invite'))).toEqual({ status: 401, code: 'unauthorized' });
    const secondLink = HttpSession.forInvite(BASE_URL, String(second['url']), { fetch: server.fetch });
    expect((await secondLink.request('GET', '/api/invite')).status).toBe(401);

    // Their open sockets and video close on these events (server/events); one per invite.
    expect(server.published.filter((e) => e.kind === 'invite_revoked' && e.memberId === memberId)).toHaveLength(2);
    const audit = await server.stores.audit.list({ networkId, limit: 20 });
    expect(audit.find((e) => e.action === 'member_removed')).toMatchObject({ targetId: memberId, reason: 'asked not to be part of the meetings', actorKind: 'user' });
    expect(audit.filter((e) => e.action === 'invite_revoked')).toHaveLength(2);
    // The row stays, so the record still names what they wrote.
    expect((await server.stores.members.byId(memberId))?.name).toBe('Sam');
  });

  it('cannot give a removed member a new link, edit them, or remove them twice', async () => {
    const { pat, networkId, memberId } = await seeded();
    await pat.json('POST', `/api/networks/${networkId}/members/${memberId}/remove`, { reason: 'moved away' });
    expect((await pat.request('POST', `/api/networks/${networkId}/members/${memberId}/invites`, {})).status).toBe(409);
    expect((await pat.request('PUT', `/api/networks/${networkId}/members/${memberId}`, EDIT)).status).toBe(409);
    expect((await pat.request('POST', `/api/networks/${networkId}/members/${memberId}/remove`, { reason: 'again' })).status).toBe(409);
    expect((await pat.request('PUT', `/api/networks/${networkId}/person`, { memberId })).status).toBe(409);
    expect((await memberOf(pat, networkId, memberId))?.removedReason).toBe('moved away');
  });

  it('takes the "person this network is about" mark with them', async () => {
    const { pat, networkId, memberId } = await seeded();
    await pat.json('PUT', `/api/networks/${networkId}/person`, { memberId });
    await pat.json('POST', `/api/networks/${networkId}/members/${memberId}/remove`, { reason: 'entered twice by mistake' });
    const detail = NetworkDetail.parse(await pat.json('GET', `/api/networks/${networkId}`));
    expect(detail.network.personMemberId).toBeUndefined();
  });
});

describe('an invite link opened where a team member is logged in (finding: "This link does not work any more")', () => {
  it('answers as the invite\'s member when the request carries both the team cookie and the invite token', async () => {
    const { server, networkId, inviteUrl } = await seeded();
    const token = new URL(inviteUrl).pathname.split('/').pop() ?? '';
    const both = new HttpSession(BASE_URL, { inviteToken: token, fetch: server.fetch });
    await both.login('pat@team.org', 'correct horse battery staple');
    const landing = InviteLanding.parse(await both.json('GET', '/api/invite'));
    expect(landing.member.name).toBe('Sam');
    expect(landing.network.id).toBe(networkId);
    // The invite speaks for the whole request: the team's pages are not reachable with it.
    expect((await both.request('GET', `/api/networks/${networkId}`)).status).toBe(403);
  });

  it('does not fall back to the team session when the token is bad: the link says it does not work', async () => {
    const { server, networkId } = await seeded();
    const both = new HttpSession(BASE_URL, { inviteToken: 'not-a-real-token', fetch: server.fetch });
    await both.login('pat@team.org', 'correct horse battery staple');
    expect(await errorOf(await both.request('GET', '/api/invite'))).toEqual({ status: 401, code: 'unauthorized' });
    expect((await both.request('GET', `/api/networks/${networkId}`)).status).toBe(401);
  });

  it('still answers the team member as themselves without a token', async () => {
    const { pat, networkId } = await seeded();
    expect((await pat.request('GET', `/api/networks/${networkId}`)).status).toBe(200);
  });
});

describe('interpreting, migrated (finding: the "Interpreter" box read as "needs an interpreter")', () => {
  it('keeps an interpreter added before the change as an interpreter, with no language and needing none', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'polyphony-interp-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const old = new DatabaseSync(join(dir, 'polyphony.sqlite'));
    old.exec(readFileSync(resolve(import.meta.dirname, '../fixtures/dataDir-main-2478b83/polyphony.sql'), 'utf8'));
    const row = old.prepare('SELECT id FROM network_members LIMIT 1').get();
    old.prepare('UPDATE network_members SET is_interpreter = 1 WHERE id = ?').run(String(row?.['id']));
    old.close();

    const db = openDatabase(dir);
    cleanups.push(() => db.close());
    const member = await createSqliteMemberStore(db).byId(String(row?.['id']));
    expect(member).toMatchObject({ isInterpreter: true, interpreterLanguage: undefined, needsInterpreterIn: undefined, removedAt: undefined });
  });
});

describe('the ops CLI\'s member add, with interpreting as two things', () => {
  it('keeps --interpreter meaning "is the interpreter", takes its language, and takes the language someone needs', async () => {
    const { server, networkId } = await seeded();
    const add = async (...args: string[]) => {
      const command = COMMANDS['member add'];
      if (!command) throw new Error('no member add command');
      const values = parseCommandLine(['member', 'add', '--network', networkId, '--relationship', 'r', ...args]).values;
      return command(values, { services: server.services, origin: BASE_URL, readStdin: async () => '' });
    };
    const ids = [
      await add('--name', 'Ivo', '--interpreter'),
      await add('--name', 'Ana', '--interpreter', '--interpreter-language', 'Arabic'),
      await add('--name', 'Lin', '--interpreter-language', 'Mandarin'),
      await add('--name', 'Maria', '--needs-interpreter', 'Arabic'),
    ].map((r) => String(r['id']));
    const members = await Promise.all(ids.map((id) => server.stores.members.byId(id)));
    expect(members.map((m) => [m?.name, m?.isInterpreter, m?.interpreterLanguage, m?.needsInterpreterIn])).toEqual([
      ['Ivo', true, undefined, undefined],
      ['Ana', true, 'Arabic', undefined],
      ['Lin', true, 'Mandarin', undefined],
      ['Maria', false, undefined, 'Arabic'],
    ]);
    await expect(add('--name', 'X', '--interpreter', '--needs-interpreter', 'Arabic')).rejects.toMatchObject({ code: 'bad_request' });
  });
});
