import { describe, expect, it } from 'vitest';
import type { UserRecord } from '../../../server/store/userStore.ts';
import { ENGINES } from './engines.ts';
import { useFreshDatabase } from './fresh.ts';

const T0 = '2026-12-01T10:00:00.000Z';
const user = (id: string, overrides: Partial<UserRecord> = {}): UserRecord => ({
  id,
  email: `${id}@Clinic.example`,
  name: `Name ${id}`,
  role: 'practitioner',
  isAdmin: false,
  passwordHash: `hash-${id}`,
  createdAt: T0,
  ...overrides,
});

describe.each(ENGINES)('accounts on $name', (engine) => {
  const fresh = useFreshDatabase(engine);

  it('stores users, finds them by lower-cased email, and lists them by name', async () => {
    const { stores } = await fresh();
    expect(await stores.users.anyAdmin()).toBe(false);
    await stores.users.create(user('b', { name: 'Bo', role: 'peer_worker' }));
    await stores.users.create(user('a', { name: 'Ann', isAdmin: true }));
    await expect(stores.users.create(user('c', { email: 'A@clinic.example' }))).rejects.toThrow();
    expect(await stores.users.byEmail('A@CLINIC.EXAMPLE')).toEqual({ ...user('a', { name: 'Ann', isAdmin: true }), email: 'a@clinic.example', deactivatedAt: undefined });
    expect((await stores.users.list()).map((u) => [u.name, u.role, u.isAdmin])).toEqual([
      ['Ann', 'practitioner', true],
      ['Bo', 'peer_worker', false],
    ]);
    expect(await stores.users.anyAdmin()).toBe(true);
    await stores.users.setPassword('b', 'new-hash');
    expect((await stores.users.byId('b'))?.passwordHash).toBe('new-hash');
    expect(await stores.users.byId('nobody')).toBeUndefined();
  });

  it('deactivates in one step: sessions, reset links and team assignments end; the last admin stays', async () => {
    const { stores } = await fresh();
    await stores.users.create(user('admin', { isAdmin: true }));
    await stores.users.create(user('u1'));
    await stores.networks.create({ id: 'n1', personName: 'Jo', referredAt: T0, createdAt: T0, createdBy: 'admin' });
    await stores.networks.assign('n1', 'u1', T0);
    await stores.sessions.create({ id: 's1', tokenHash: 'th1', userId: 'u1', createdAt: T0, expiresAt: '2026-12-02T10:00:00.000Z', lastSeenAt: T0, userAgent: undefined, address: undefined });
    await stores.passwordResets.replace({ tokenHash: 'r1', userId: 'u1', createdAt: T0, expiresAt: '2026-12-01T11:00:00.000Z' });

    const at = '2026-12-01T12:00:00.000Z';
    expect(await stores.users.deactivate('u1', at, 'left the team')).toEqual({ status: 'deactivated', networkIds: ['n1'], sessionsEnded: 1 });
    expect(await stores.users.deactivate('u1', at, 'again')).toEqual({ status: 'already_deactivated' });
    expect(await stores.users.deactivate('ghost', at, 'x')).toEqual({ status: 'not_found' });
    expect(await stores.users.deactivate('admin', at, 'x')).toEqual({ status: 'last_admin' });
    expect(await stores.sessions.find('th1', new Date(T0))).toBeUndefined();
    expect(await stores.passwordResets.peek('r1', new Date(T0))).toBeUndefined();
    expect(await stores.networks.team('n1')).toEqual([{ networkId: 'n1', userId: 'u1', assignedAt: T0, unassignedAt: at, reason: 'left the team' }]);
    expect(await stores.users.deactivatedSince(T0)).toEqual([{ id: 'u1', deactivatedAt: at, networkIds: ['n1'] }]);
    expect(await stores.users.reactivate('u1')).toBe(true);
    expect(await stores.users.reactivate('u1')).toBe(false);
    expect(await stores.networks.isAssigned('n1', 'u1')).toBe(false);
  });

  it('lets only one of two admins deactivating each other at once through', async () => {
    const database = await fresh();
    await database.stores.users.create(user('a1', { isAdmin: true }));
    await database.stores.users.create(user('a2', { isAdmin: true }));
    const other = await database.another();
    const results = await Promise.all([database.stores.users.deactivate('a1', T0, 'x'), other.users.deactivate('a2', T0, 'y')]);
    expect(results.map((r) => r.status).sort()).toEqual(['deactivated', 'last_admin']);
    expect(await database.stores.users.anyAdmin()).toBe(true);
  });

  it('keeps sessions by token hash until they expire, and ends them one by one or all but one', async () => {
    const { stores } = await fresh();
    await stores.users.create(user('u1'));
    const session = (id: string, lastSeenAt: string) => ({ id, tokenHash: `th-${id}`, userId: 'u1', createdAt: T0, expiresAt: '2026-12-08T10:00:00.000Z', lastSeenAt, userAgent: 'Firefox', address: '192.0.2.1' });
    await stores.sessions.create(session('s1', T0));
    await stores.sessions.create(session('s2', '2026-12-01T11:00:00.000Z'));
    await stores.sessions.create(session('s3', '2026-12-01T09:00:00.000Z'));
    expect(await stores.sessions.find('th-s1', new Date(T0))).toEqual(session('s1', T0));
    expect(await stores.sessions.find('th-s1', new Date('2026-12-08T10:00:00.000Z'))).toBeUndefined();
    await stores.sessions.touch('th-s1', '2026-12-01T10:00:30.000Z', '2026-12-01T10:00:00.000Z');
    expect((await stores.sessions.find('th-s1', new Date(T0)))?.lastSeenAt).toBe(T0);
    await stores.sessions.touch('th-s1', '2026-12-01T12:00:00.000Z', '2026-12-01T11:59:00.000Z');
    expect((await stores.sessions.listForUser('u1', new Date(T0))).map((s) => s.id)).toEqual(['s1', 's2', 's3']);
    expect(await stores.sessions.isLive('s2', new Date(T0))).toBe(true);
    expect(await stores.sessions.deleteById('u1', 's2')).toBe(true);
    expect(await stores.sessions.deleteById('u1', 's2')).toBe(false);
    expect(await stores.sessions.deleteForUser('u1', 'th-s1')).toBe(1);
    await stores.sessions.delete('th-s1');
    expect(await stores.sessions.listForUser('u1', new Date(T0))).toEqual([]);
  });

  it('uses a password reset link once, of many simultaneous uses, and only the newest link of a user', async () => {
    const database = await fresh();
    const { passwordResets } = database.stores;
    await database.stores.users.create(user('u1'));
    const link = (tokenHash: string) => ({ tokenHash, userId: 'u1', createdAt: T0, expiresAt: '2026-12-01T11:00:00.000Z' });
    await passwordResets.replace(link('old'));
    await passwordResets.replace(link('new'));
    expect(await passwordResets.peek('old', new Date(T0))).toBeUndefined();
    expect(await passwordResets.peek('new', new Date(T0))).toBe('u1');
    expect(await passwordResets.consume('new', new Date('2026-12-01T11:00:00.000Z'))).toBeUndefined();
    const other = await database.another();
    const uses = await Promise.all([passwordResets.consume('new', new Date(T0)), other.passwordResets.consume('new', new Date(T0)), passwordResets.consume('new', new Date(T0))]);
    expect(uses.filter((used) => used === 'u1')).toHaveLength(1);
  });
});
