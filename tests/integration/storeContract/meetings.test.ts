import { describe, expect, it } from 'vitest';
import type { MeetingRecord } from '../../../server/store/meetingStore.ts';
import { ENGINES, POSTGRES, type EngineDatabase } from './engines.ts';
import { expectToWait, useFreshDatabase } from './fresh.ts';

const T0 = '2026-12-01T10:00:00.000Z';
const T1 = '2026-12-01T11:00:00.000Z';
const T2 = '2026-12-01T12:00:00.000Z';

const meeting = (id: string, overrides: Partial<MeetingRecord> = {}): MeetingRecord => ({
  id,
  networkId: 'n1',
  title: `Meeting ${id}`,
  scheduledAt: '2026-12-03T10:00:00.000Z',
  status: 'scheduled',
  createdAt: T0,
  endedAt: undefined,
  ...overrides,
});

async function networks(database: EngineDatabase, ...ids: string[]): Promise<void> {
  for (const id of ids) await database.stores.networks.create({ id, personName: 'Jo', referredAt: T0, createdAt: T0, createdBy: undefined });
}

describe.each(ENGINES)('meetings on $name', (engine) => {
  const fresh = useFreshDatabase(engine);

  it('keeps meetings and lists a network’s in the order they are scheduled', async () => {
    const database = await fresh();
    const { meetings } = database.stores;
    await networks(database, 'n1', 'n2');
    await meetings.create(meeting('mt-late', { scheduledAt: '2026-12-05T10:00:00.000Z' }));
    await meetings.create(meeting('mt-live', { status: 'live', scheduledAt: '2026-12-01T09:00:00.000Z', createdAt: '2026-11-30T08:00:00.000Z' }));
    await meetings.create(meeting('mt-early'));
    await meetings.create(meeting('mt-other', { networkId: 'n2' }));
    expect(await meetings.get('mt-live')).toEqual(meeting('mt-live', { status: 'live', scheduledAt: '2026-12-01T09:00:00.000Z', createdAt: '2026-11-30T08:00:00.000Z' }));
    expect((await meetings.listForNetwork('n1')).map((m) => m.id)).toEqual(['mt-live', 'mt-early', 'mt-late']);
    expect(await meetings.listForNetwork('n2')).toEqual([meeting('mt-other', { networkId: 'n2' })]);
    expect(await meetings.listForNetwork('nope')).toEqual([]);
    expect(await meetings.get('nope')).toBeUndefined();
    await expect(meetings.create(meeting('mt-early'))).rejects.toThrow();
    await expect(meetings.create(meeting('mt-lost', { networkId: 'nope' }))).rejects.toThrow();
  });

  it('never returns a meeting from before networks, and reads a meeting without a time as at its creation, first', async () => {
    const database = await fresh();
    await networks(database, 'n1');
    await database.stores.meetings.create(meeting('mt1', { scheduledAt: '2026-11-01T00:00:00.000Z' }));
    // Rows only older releases wrote: no network (the walking skeleton), and a network but no time.
    await database.exec("INSERT INTO meetings (id, title, created_at) VALUES ('mt-skeleton', 'Old', $1)", [T0]);
    await database.exec("INSERT INTO meetings (id, network_id, title, created_at) VALUES ('mt-untimed', 'n1', 'Untimed', $1)", [T1]);
    expect(await database.stores.meetings.get('mt-skeleton')).toBeUndefined();
    expect(await database.stores.meetings.get('mt-untimed')).toEqual(meeting('mt-untimed', { title: 'Untimed', scheduledAt: T1, createdAt: T1 }));
    expect((await database.stores.meetings.listForNetwork('n1')).map((m) => m.id)).toEqual(['mt-untimed', 'mt1']);
  });

  it('moves a meeting live and to its end, and keeps the first end time whatever is set after it', async () => {
    const database = await fresh();
    const { meetings } = database.stores;
    await networks(database, 'n1');
    await meetings.create(meeting('mt1'));
    await meetings.create(meeting('mt2'));
    await meetings.setStatus('mt1', 'live', T0);
    expect(await meetings.get('mt1')).toEqual(meeting('mt1', { status: 'live' }));
    await meetings.setStatus('mt1', 'ended', T1);
    await meetings.setStatus('mt1', 'ended', T2);
    expect(await meetings.get('mt1')).toEqual(meeting('mt1', { status: 'ended', endedAt: T1 }));
    // The store does not judge a status change (the service does); the end time stays with the row.
    await meetings.setStatus('mt1', 'live', T2);
    expect(await meetings.get('mt1')).toEqual(meeting('mt1', { status: 'live', endedAt: T1 }));
    await meetings.setStatus('nope', 'ended', T1);
    expect(await meetings.get('nope')).toBeUndefined();
    expect(await meetings.get('mt2')).toEqual(meeting('mt2'));
  });

  it('keeps one end time when two connections end a meeting at once', async () => {
    const database = await fresh();
    await networks(database, 'n1');
    await database.stores.meetings.create(meeting('mt1', { status: 'live' }));
    const other = await database.another();
    await Promise.all([database.stores.meetings.setStatus('mt1', 'ended', T1), other.meetings.setStatus('mt1', 'ended', T2)]);
    const ended = await database.stores.meetings.get('mt1');
    expect(ended?.status).toBe('ended');
    expect([T1, T2]).toContain(ended?.endedAt);
  });
});

describe('meetings on postgres, with another writer in flight', () => {
  const fresh = useFreshDatabase(POSTGRES);

  it('keeps the end time of the end that committed first when a second end had to wait for it', async () => {
    const database = await fresh();
    await networks(database, 'n1');
    await database.stores.meetings.create(meeting('mt1', { status: 'live' }));
    const first = await database.begin();
    await first.sql.query("UPDATE meetings SET status = 'ended', ended_at = COALESCE(ended_at, $1) WHERE id = 'mt1'", [T1]);
    const second = database.stores.meetings.setStatus('mt1', 'ended', T2);
    await expectToWait(database, second);
    await first.commit();
    await second;
    expect(await database.stores.meetings.get('mt1')).toEqual(meeting('mt1', { status: 'ended', endedAt: T1 }));
  });
});
