import { describe, expect, it } from 'vitest';
import { ENGINES } from './engines.ts';
import { useFreshDatabase } from './fresh.ts';

const T0 = '2026-12-01T10:00:00.000Z';

describe.each(ENGINES)('networks, settings and the audit log on $name', (engine) => {
  const fresh = useFreshDatabase(engine);

  it('keeps networks and their team, current and past, with one current assignment per person', async () => {
    const database = await fresh();
    const { networks, users } = database.stores;
    await users.create({ id: 'u1', email: 'u1@x.example', name: 'U', role: 'practitioner', isAdmin: false, passwordHash: 'h', createdAt: T0 });
    await networks.create({ id: 'n-old', personName: 'Jo', referredAt: '2026-11-01T00:00:00.000Z', createdAt: T0, createdBy: 'u1' });
    await networks.create({ id: 'n-new', personName: 'Kim', referredAt: '2026-11-20T00:00:00.000Z', createdAt: T0, createdBy: undefined, timeZone: 'Europe/Oslo' });
    expect(await networks.byId('n-new')).toEqual({ id: 'n-new', personName: 'Kim', referredAt: '2026-11-20T00:00:00.000Z', createdAt: T0, createdBy: undefined, personMemberId: undefined, timeZone: 'Europe/Oslo' });
    expect((await networks.list()).map((n) => n.id)).toEqual(['n-new', 'n-old']);

    const other = await database.another();
    // The same time from every connection: which of them wins is the engine's race, not what is asserted.
    await Promise.all([networks.assign('n-old', 'u1', T0), other.networks.assign('n-old', 'u1', T0), networks.assign('n-old', 'u1', T0)]);
    expect(await networks.team('n-old')).toHaveLength(1);
    expect((await networks.list('u1')).map((n) => n.id)).toEqual(['n-old']);
    await networks.unassign('n-old', 'u1', '2026-12-01T11:00:00.000Z', 'moved');
    await networks.assign('n-old', 'u1', '2026-12-01T12:00:00.000Z');
    expect((await networks.team('n-old')).map((t) => [t.assignedAt, t.unassignedAt, t.reason])).toEqual([
      [T0, '2026-12-01T11:00:00.000Z', 'moved'],
      ['2026-12-01T12:00:00.000Z', undefined, undefined],
    ]);
    expect(await networks.isAssigned('n-old', 'u1')).toBe(true);
    await networks.setTimeZone('n-old', 'America/Halifax');
    expect((await networks.byId('n-old'))?.timeZone).toBe('America/Halifax');
    await networks.setPersonMember('n-old', undefined);
    expect((await networks.byId('n-old'))?.personMemberId).toBeUndefined();
  });

  it('keeps settings, and gives a one-time value to exactly one of simultaneous consumers', async () => {
    const database = await fresh();
    const { settings } = database.stores;
    expect(await settings.get('retention')).toBeUndefined();
    await settings.set('retention', '365');
    await settings.set('retention', '730');
    expect(await settings.get('retention')).toBe('730');
    await settings.delete('retention');
    expect(await settings.get('retention')).toBeUndefined();
    await settings.set('setup_token', 'hash');
    const other = await database.another();
    expect(await settings.consume('setup_token', 'wrong')).toBe(false);
    const results = await Promise.all([settings.consume('setup_token', 'hash'), other.settings.consume('setup_token', 'hash')]);
    expect(results.sort()).toEqual([false, true]);
    expect(await settings.get('setup_token')).toBeUndefined();
  });

  it('lists audit entries newest first, all or one network', async () => {
    const { stores } = await fresh();
    await stores.audit.record({ at: T0, actorKind: 'system', action: 'network_created', networkId: 'n1' });
    await stores.audit.record({ at: T0, actorKind: 'user', actorId: 'u1', action: 'user_deactivated', targetId: 'u2', reason: 'left' });
    await stores.audit.record({ at: T0, actorKind: 'member', actorId: 'm1', action: 'meeting_joined', networkId: 'n1', meetingId: 'mt1' });
    expect((await stores.audit.list({ limit: 10 })).map((e) => e.action)).toEqual(['meeting_joined', 'user_deactivated', 'network_created']);
    expect(await stores.audit.list({ networkId: 'n1', limit: 1 })).toEqual([
      { at: T0, actorKind: 'member', actorId: 'm1', action: 'meeting_joined', networkId: 'n1', meetingId: 'mt1', targetId: undefined, reason: undefined },
    ]);
    expect((await stores.audit.list({ limit: 10 }))[1]).toEqual({ at: T0, actorKind: 'user', actorId: 'u1', action: 'user_deactivated', networkId: undefined, meetingId: undefined, targetId: 'u2', reason: 'left' });
  });
});
