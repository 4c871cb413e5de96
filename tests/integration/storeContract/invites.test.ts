import { describe, expect, it } from 'vitest';
import type { InviteRecord } from '../../../server/store/inviteStore.ts';
import { ENGINES, POSTGRES, type EngineDatabase } from './engines.ts';
import { expectToWait, useFreshDatabase } from './fresh.ts';

const T0 = '2026-12-01T10:00:00.000Z';
const T1 = '2026-12-01T11:00:00.000Z';
const T2 = '2026-12-01T12:00:00.000Z';

const invite = (id: string, overrides: Partial<InviteRecord> = {}): InviteRecord => ({
  id,
  networkId: 'n1',
  memberId: 'm1',
  createdAt: T0,
  expiresAt: '2026-12-08T10:00:00.000Z',
  revokedAt: undefined,
  ...overrides,
});

/** Networks n1 and n2, each with one member (m1, m2). */
async function twoNetworks(database: EngineDatabase): Promise<void> {
  for (const [networkId, memberId] of [['n1', 'm1'], ['n2', 'm2']] as const) {
    await database.stores.networks.create({ id: networkId, personName: 'Jo', referredAt: T0, createdAt: T0, createdBy: undefined });
    await database.stores.members.create({
      id: memberId,
      networkId,
      name: 'Sam',
      relationship: 'brother',
      contact: undefined,
      isInterpreter: false,
      interpreterLanguage: undefined,
      needsInterpreterIn: undefined,
      createdAt: T0,
      removedAt: undefined,
      removedReason: undefined,
    });
  }
}

describe.each(ENGINES)('invites on $name', (engine) => {
  const fresh = useFreshDatabase(engine);

  it('keeps invites, lists a network’s in the order they were made, and refuses one for a member that does not exist', async () => {
    const database = await fresh();
    const { invites } = database.stores;
    await twoNetworks(database);
    await invites.create(invite('i-late', { createdAt: T1 }));
    await invites.create(invite('i-early'));
    await invites.create(invite('i-other', { networkId: 'n2', memberId: 'm2' }));
    expect(await invites.byId('i-late')).toEqual(invite('i-late', { createdAt: T1 }));
    expect(await invites.listForNetwork('n1')).toEqual([invite('i-early'), invite('i-late', { createdAt: T1 })]);
    expect((await invites.listForNetwork('n2')).map((i) => i.id)).toEqual(['i-other']);
    expect(await invites.listForNetwork('nope')).toEqual([]);
    expect(await invites.byId('nope')).toBeUndefined();
    await expect(invites.create(invite('i-ghost', { memberId: 'nobody' }))).rejects.toThrow();
    await expect(invites.create(invite('i-early'))).rejects.toThrow();
  });

  it('revokes an invite once: the first revocation time stays', async () => {
    const database = await fresh();
    const { invites } = database.stores;
    await twoNetworks(database);
    await invites.create(invite('i1'));
    await invites.create(invite('i2'));
    await invites.revoke('i1', T1);
    await invites.revoke('i1', T2);
    await invites.revoke('nope', T2);
    expect(await invites.listForNetwork('n1')).toEqual([invite('i1', { revokedAt: T1 }), invite('i2')]);
  });

  it('finds the invites not revoked whose expiry fell in (after, upTo], soonest first', async () => {
    const database = await fresh();
    const { invites } = database.stores;
    await twoNetworks(database);
    const expiring = (id: string, expiresAt: string, networkId = 'n1') => invite(id, { expiresAt, networkId, memberId: networkId === 'n1' ? 'm1' : 'm2' });
    // Made out of order, so the order found is the expiry's and not the order made.
    await invites.create(expiring('at-upTo', T2));
    await invites.create(expiring('inside-other-network', '2026-12-01T11:30:00.000Z', 'n2'));
    await invites.create(expiring('inside', '2026-12-01T10:30:00.000Z'));
    await invites.create(expiring('at-after', T0));
    await invites.create(expiring('before', '2026-12-01T09:59:59.999Z'));
    await invites.create(expiring('later', '2026-12-01T12:00:00.001Z'));
    await invites.create(expiring('revoked', '2026-12-01T10:45:00.000Z'));
    await invites.revoke('revoked', '2026-12-01T10:50:00.000Z');
    expect((await invites.expiredBetween(T0, T2)).map((i) => i.id)).toEqual(['inside', 'inside-other-network', 'at-upTo']);
    expect(await invites.expiredBetween(T0, '2026-12-01T10:30:00.000Z')).toEqual([expiring('inside', '2026-12-01T10:30:00.000Z')]);
    expect(await invites.expiredBetween(T2, T2)).toEqual([]);
  });
});

describe('invites on postgres, with another writer in flight', () => {
  const fresh = useFreshDatabase(POSTGRES);

  it('keeps the revocation that committed first when a second one had to wait for it', async () => {
    const database = await fresh();
    await twoNetworks(database);
    await database.stores.invites.create(invite('i1'));
    const first = await database.begin();
    await first.sql.query("UPDATE invites SET revoked_at = $1 WHERE id = 'i1' AND revoked_at IS NULL", [T1]);
    const second = database.stores.invites.revoke('i1', T2);
    await expectToWait(database, second);
    await first.commit();
    await second;
    expect((await database.stores.invites.byId('i1'))?.revokedAt).toBe(T1);
  });
});
