import { describe, expect, it } from 'vitest';
import { UnitOfWorkMisuseError } from '../../../server/store/unitOfWork.ts';
import { ENGINES, type EngineDatabase } from './engines.ts';
import { useFreshDatabase } from './fresh.ts';

const T0 = '2026-12-01T10:00:00.000Z';
const NETWORK = { id: 'n1', personName: 'Jo', referredAt: T0, createdAt: T0, createdBy: 'u1' };

async function withUser(database: EngineDatabase): Promise<EngineDatabase> {
  await database.stores.users.create({ id: 'u1', email: 'u1@x.example', name: 'U', role: 'practitioner', isAdmin: false, passwordHash: 'h', createdAt: T0 });
  return database;
}

/** What a unit below may have left: the network, its team, its audit entries, a setting. */
async function leftovers(database: EngineDatabase) {
  const { networks, audit, settings } = database.stores;
  return {
    network: await networks.byId('n1'),
    team: await networks.team('n1'),
    audit: await audit.list({ limit: 10 }),
    setting: await settings.get('k'),
  };
}

const NOTHING = { network: undefined, team: [], audit: [], setting: undefined };

describe.each(ENGINES)('a unit of work on $name', (engine) => {
  const fresh = useFreshDatabase(engine);

  it('commits every write together, seen from another connection, and returns what the work returned', async () => {
    const database = await withUser(await fresh());
    const answer = await database.stores.unitOfWork(async (tx) => {
      await tx.networks.create(NETWORK);
      await tx.networks.assign('n1', 'u1', T0);
      await tx.settings.set('k', 'v');
      await tx.audit.record({ at: T0, actorKind: 'user', actorId: 'u1', action: 'network_created', networkId: 'n1' });
      return 'done';
    });
    expect(answer).toBe('done');
    const other = await database.another();
    expect(await other.networks.isAssigned('n1', 'u1')).toBe(true);
    expect(await other.settings.get('k')).toBe('v');
    expect((await other.audit.list({ networkId: 'n1', limit: 10 })).map((e) => e.action)).toEqual(['network_created']);
  });

  it('keeps none of its writes when a step in the middle is refused by the database', async () => {
    const database = await withUser(await fresh());
    const failing = database.stores.unitOfWork(async (tx) => {
      await tx.networks.create(NETWORK);
      await tx.settings.set('k', 'v');
      await tx.audit.record({ at: T0, actorKind: 'user', actorId: 'u1', action: 'network_created', networkId: 'n1' });
      // No such user: the foreign key refuses this step, and with it the whole unit.
      await tx.networks.assign('n1', 'no-such-user', T0);
      await tx.audit.record({ at: T0, actorKind: 'user', actorId: 'u1', action: 'team_assigned', networkId: 'n1' });
    });
    await expect(failing).rejects.toThrow(/foreign key/i);
    expect(await leftovers(database)).toEqual(NOTHING);
  });

  it('keeps none of its writes when the work itself throws after them, and passes its error on', async () => {
    const database = await withUser(await fresh());
    const refusal = new Error('refused by a rule after the writes');
    const failing = database.stores.unitOfWork(async (tx) => {
      await tx.networks.create(NETWORK);
      await tx.networks.assign('n1', 'u1', T0);
      await tx.settings.set('k', 'v');
      throw refusal;
    });
    await expect(failing).rejects.toBe(refusal);
    expect(await leftovers(database)).toEqual(NOTHING);
    // The connection is usable again, in and outside a unit.
    await database.stores.unitOfWork((tx) => tx.networks.create(NETWORK));
    expect(await database.stores.networks.byId('n1')).toMatchObject({ id: 'n1' });
  });

  it('refuses a unit of work started inside another, and keeps nothing of the outer one', async () => {
    const database = await withUser(await fresh());
    const { stores } = database;
    const nested = stores.unitOfWork(async (tx) => {
      await tx.networks.create(NETWORK);
      await stores.unitOfWork((inner) => inner.settings.set('k', 'v'));
    });
    await expect(nested).rejects.toBeInstanceOf(UnitOfWorkMisuseError);
    expect(await leftovers(database)).toEqual(NOTHING);
  });

  it('runs units one after another that were started together, each whole', async () => {
    const database = await withUser(await fresh());
    const { stores } = database;
    const other = await database.another();
    await Promise.all([
      stores.unitOfWork(async (tx) => {
        await tx.networks.create(NETWORK);
        await tx.audit.record({ at: T0, actorKind: 'user', actorId: 'u1', action: 'network_created', networkId: 'n1' });
      }),
      other.unitOfWork(async (tx) => {
        await tx.settings.set('k', 'v');
        await tx.audit.record({ at: T0, actorKind: 'user', actorId: 'u1', action: 'retention_changed' });
      }),
    ]);
    expect((await stores.audit.list({ limit: 10 })).map((e) => e.action).sort()).toEqual(['network_created', 'retention_changed']);
    expect(await stores.settings.get('k')).toBe('v');
  });
});
