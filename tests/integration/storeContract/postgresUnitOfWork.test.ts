import { afterEach, describe, expect, it } from 'vitest';
import type pg from 'pg';
import { openPostgres } from '../../../server/store/postgres/database.ts';
import { createPostgresStores } from '../../../server/store/postgres/stores.ts';
import { unitOfWork } from '../../../server/store/postgres/unitOfWork.ts';
import { createTestDatabase } from '../../helpers/postgresDatabase.ts';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function pool(): Promise<pg.Pool> {
  const database = await createTestDatabase({ migrated: true });
  cleanups.push(() => database.drop());
  const opened = await openPostgres(database.url, { max: 3 });
  cleanups.push(() => opened.end());
  return opened;
}

const T0 = '2026-12-01T10:00:00.000Z';

describe('a unit of work on PostgreSQL', () => {
  it('stores a network, its team and the audit entry together, or none of them when a step fails', async () => {
    const db = await pool();
    const stores = createPostgresStores(db);
    await stores.users.create({ id: 'u1', email: 'u1@x.example', name: 'U', role: 'practitioner', isAdmin: false, passwordHash: 'h', createdAt: T0 });

    const failing = unitOfWork(db, async (tx) => {
      await tx.networks.create({ id: 'n1', personName: 'Jo', referredAt: T0, createdAt: T0, createdBy: 'u1' });
      await tx.audit.record({ at: T0, actorKind: 'user', actorId: 'u1', action: 'network_created', networkId: 'n1' });
      // A user that does not exist: the foreign key fails this step, and with it the whole unit.
      await tx.networks.assign('n1', 'no-such-user', T0);
    });
    await expect(failing).rejects.toThrow(/foreign key/);
    expect(await stores.networks.byId('n1')).toBeUndefined();
    expect(await stores.audit.list({ limit: 10 })).toEqual([]);

    await unitOfWork(db, async (tx) => {
      await tx.networks.create({ id: 'n1', personName: 'Jo', referredAt: T0, createdAt: T0, createdBy: 'u1' });
      await tx.networks.assign('n1', 'u1', T0);
      await tx.audit.record({ at: T0, actorKind: 'user', actorId: 'u1', action: 'network_created', networkId: 'n1' });
    });
    expect(await stores.networks.isAssigned('n1', 'u1')).toBe(true);
    expect((await stores.audit.list({ networkId: 'n1', limit: 10 })).map((e) => e.action)).toEqual(['network_created']);
    // Every connection went back to the pool, the failed one included.
    expect(db.totalCount - db.idleCount).toBe(0);
  });
});
