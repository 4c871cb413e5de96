import { describe, expect, it } from 'vitest';
import type { MemberRecord } from '../../../server/store/memberStore.ts';
import { ENGINES, POSTGRES, type EngineDatabase } from './engines.ts';
import { expectToWait, useFreshDatabase } from './fresh.ts';

const T0 = '2026-12-01T10:00:00.000Z';
const T1 = '2026-12-01T11:00:00.000Z';
const T2 = '2026-12-01T12:00:00.000Z';

const member = (id: string, overrides: Partial<MemberRecord> = {}): MemberRecord => ({
  id,
  networkId: 'n1',
  name: `Name ${id}`,
  relationship: 'sister',
  contact: undefined,
  isInterpreter: false,
  interpreterLanguage: undefined,
  needsInterpreterIn: undefined,
  createdAt: T0,
  removedAt: undefined,
  removedReason: undefined,
  ...overrides,
});

async function networks(database: EngineDatabase, ...ids: string[]): Promise<void> {
  for (const id of ids) await database.stores.networks.create({ id, personName: 'Jo', referredAt: T0, createdAt: T0, createdBy: undefined });
}

describe.each(ENGINES)('network members on $name', (engine) => {
  const fresh = useFreshDatabase(engine);

  it('keeps every field, lists a network’s members in the order they were added, and changes what an edit names', async () => {
    const database = await fresh();
    const { members } = database.stores;
    await networks(database, 'n1', 'n2');
    const interpreter = member('m-late', { createdAt: T1, contact: '+47 555 01 234', isInterpreter: true, interpreterLanguage: 'Arabic' });
    await members.create(interpreter);
    await members.create(member('m-early', { needsInterpreterIn: 'Somali' }));
    await members.create(member('m-other', { networkId: 'n2', createdAt: '2026-11-01T00:00:00.000Z' }));
    expect(await members.byId('m-late')).toEqual(interpreter);
    expect((await members.list('n1')).map((m) => m.id)).toEqual(['m-early', 'm-late']);
    expect(await members.list('n2')).toEqual([member('m-other', { networkId: 'n2', createdAt: '2026-11-01T00:00:00.000Z' })]);
    expect(await members.list('nope')).toEqual([]);
    expect(await members.byId('nope')).toBeUndefined();

    const edit = { name: 'Rana', relationship: 'interpreter', contact: undefined, isInterpreter: false, interpreterLanguage: undefined, needsInterpreterIn: 'Farsi' };
    await members.update('m-late', edit);
    expect(await members.byId('m-late')).toEqual({ ...interpreter, ...edit });
    await members.update('nope', edit);
    expect(await members.byId('nope')).toBeUndefined();
    // The other members are as they were.
    expect(await members.byId('m-early')).toEqual(member('m-early', { needsInterpreterIn: 'Somali' }));
  });

  it('refuses a second member with one id, and a member of a network that does not exist', async () => {
    const database = await fresh();
    await networks(database, 'n1');
    await database.stores.members.create(member('m1'));
    await expect(database.stores.members.create(member('m1', { name: 'Other' }))).rejects.toThrow();
    await expect(database.stores.members.create(member('m2', { networkId: 'nope' }))).rejects.toThrow();
    expect(await database.stores.members.list('n1')).toEqual([member('m1')]);
  });

  it('removes a member once: the first removal stays, edits keep it, and the member stays listed', async () => {
    const database = await fresh();
    const { members } = database.stores;
    await networks(database, 'n1');
    await members.create(member('m1'));
    await members.create(member('m2', { createdAt: T1 }));
    await members.remove('m1', T1, 'moved away');
    await members.remove('m1', T2, 'again');
    await members.remove('nope', T2, 'nobody');
    expect(await members.byId('m1')).toEqual(member('m1', { removedAt: T1, removedReason: 'moved away' }));
    await members.update('m1', { name: 'Renamed', relationship: 'sister', contact: undefined, isInterpreter: false, interpreterLanguage: undefined, needsInterpreterIn: undefined });
    expect((await members.list('n1')).map((m) => [m.id, m.name, m.removedAt, m.removedReason])).toEqual([
      ['m1', 'Renamed', T1, 'moved away'],
      ['m2', 'Name m2', undefined, undefined],
    ]);
  });

  it('keeps one whole removal when two connections remove a member at once', async () => {
    const database = await fresh();
    await networks(database, 'n1');
    await database.stores.members.create(member('m1'));
    const other = await database.another();
    await Promise.all([database.stores.members.remove('m1', T1, 'first'), other.members.remove('m1', T2, 'second')]);
    const removed = await database.stores.members.byId('m1');
    expect([[T1, 'first'], [T2, 'second']]).toContainEqual([removed?.removedAt, removed?.removedReason]);
  });
});

describe('network members on postgres, with another writer in flight', () => {
  const fresh = useFreshDatabase(POSTGRES);

  it('keeps the removal that committed first when a second one had to wait for it', async () => {
    const database = await fresh();
    await networks(database, 'n1');
    await database.stores.members.create(member('m1'));
    const first = await database.begin();
    await first.sql.query("UPDATE network_members SET removed_at = $1, removed_reason = 'first' WHERE id = 'm1' AND removed_at IS NULL", [T1]);
    const second = database.stores.members.remove('m1', T2, 'second');
    await expectToWait(database, second);
    await first.commit();
    await second;
    expect(await database.stores.members.byId('m1')).toEqual(member('m1', { removedAt: T1, removedReason: 'first' }));
  });
});
