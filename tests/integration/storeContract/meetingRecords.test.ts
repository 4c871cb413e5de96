import { describe, expect, it } from 'vitest';
import { ENGINES, type EngineDatabase } from './engines.ts';
import { useFreshDatabase } from './fresh.ts';

const T0 = '2026-12-01T10:00:00.000Z';

/** A network with one live meeting. */
async function liveMeeting(database: EngineDatabase, meetingId: string): Promise<void> {
  await database.stores.networks.create({ id: 'n1', personName: 'Jo', referredAt: T0, createdAt: T0, createdBy: undefined });
  await database.stores.meetings.create({ id: meetingId, networkId: 'n1', title: 'Meeting', scheduledAt: T0, status: 'live', createdAt: T0, endedAt: undefined });
}

describe.each(ENGINES)('attendance and sealed records on $name', (engine) => {
  const fresh = useFreshDatabase(engine);

  it('records each LiveKit event once, and none stamped in or after the second the meeting ended', async () => {
    const database = await fresh();
    const { attendance } = database.stores;
    await liveMeeting(database, 'mt1');
    const event = (eventId: string, kind: 'joined' | 'left', at: string) => ({ eventId, meetingId: 'mt1', identity: 'member-m1', kind, at });
    expect(await attendance.add(event('e1', 'joined', '2026-12-01T10:01:00Z'), T0)).toBe('recorded');
    expect(await attendance.add(event('e1', 'joined', '2026-12-01T10:01:00Z'), T0)).toBe('duplicate');
    await database.stores.meetings.setStatus('mt1', 'ended', '2026-12-01T11:00:00.500Z');
    expect(await attendance.add(event('e2', 'left', '2026-12-01T10:59:59Z'), T0)).toBe('recorded');
    expect(await attendance.add(event('e3', 'joined', '2026-12-01T11:00:00Z'), T0)).toBe('after_end');
    expect(await attendance.add({ ...event('e4', 'joined', '2026-12-01T10:30:00Z'), meetingId: 'nope' }, T0)).toBe('after_end');
    expect((await attendance.forMeeting('mt1')).map((e) => [e.eventId, e.kind])).toEqual([
      ['e1', 'joined'],
      ['e2', 'left'],
    ]);
  });

  it('keeps the first sealing of a record, and finds ended meetings without one', async () => {
    const database = await fresh();
    const { sealedRecords } = database.stores;
    await liveMeeting(database, 'mt1');
    expect(await sealedRecords.endedWithoutSeal()).toEqual([]);
    await database.stores.meetings.setStatus('mt1', 'ended', T0);
    expect(await sealedRecords.endedWithoutSeal()).toEqual(['mt1']);
    const row = { meetingId: 'mt1', networkId: 'n1', sealedAt: T0, format: 1, content: '{"notes":"first"}' };
    const other = await database.another();
    const puts = await Promise.all([sealedRecords.put(row), other.sealedRecords.put({ ...row, content: '{"notes":"second"}' })]);
    expect(puts.sort()).toEqual([false, true]);
    expect((await sealedRecords.get('mt1'))?.content).toMatch(/first|second/);
    expect(await sealedRecords.put({ ...row, content: 'later' })).toBe(false);
    expect(await sealedRecords.endedWithoutSeal()).toEqual([]);
    expect(await sealedRecords.get('nope')).toBeUndefined();
  });
});

describe.each(ENGINES)('schedules, addenda and closures on $name', (engine) => {
  const fresh = useFreshDatabase(engine);

  it('keeps schedules, and gives each of two simultaneous moves of a meeting its own calendar sequence', async () => {
    const database = await fresh();
    const { records } = database.stores;
    await liveMeeting(database, 'mt1');
    // A meeting without a schedule row, as those made before schedules existed.
    await database.stores.meetings.create({ id: 'mt2', networkId: 'n1', title: 'Before schedules', scheduledAt: T0, status: 'scheduled', createdAt: T0, endedAt: undefined });
    await records.setSchedule({ meetingId: 'mt1', seriesId: 'series-1', durationMinutes: 90, sequence: 0 });
    expect(await records.schedules(['mt1', 'mt2', 'nope'])).toEqual(new Map([['mt1', { meetingId: 'mt1', seriesId: 'series-1', durationMinutes: 90, sequence: 0 }]]));
    const other = await database.another();
    const sequences = await Promise.all([records.reschedule('mt1', '2026-12-03T10:00:00.000Z'), other.records.reschedule('mt1', '2026-12-04T10:00:00.000Z')]);
    expect(sequences.sort()).toEqual([1, 2]);
    // A meeting made before schedules existed gets one on its first move.
    expect(await records.reschedule('mt2', '2026-12-05T10:00:00.000Z')).toBe(1);
    expect((await records.schedules(['mt2'])).get('mt2')).toEqual({ meetingId: 'mt2', seriesId: undefined, durationMinutes: 60, sequence: 1 });
  });

  it('keeps addenda in the order they were written, and a network closed once', async () => {
    const database = await fresh();
    const { records } = database.stores;
    await liveMeeting(database, 'mt1');
    const addendum = (id: string, createdAt: string) => ({ id, meetingId: 'mt1', networkId: 'n1', authorKind: 'member' as const, authorId: 'm1', authorName: 'Sam', authorRole: 'network_member' as const, text: `text ${id}`, createdAt });
    await records.addAddendum(addendum('b', '2026-12-01T12:00:00.000Z'));
    await records.addAddendum(addendum('a', '2026-12-01T12:00:00.000Z'));
    await records.addAddendum(addendum('c', '2026-12-01T11:00:00.000Z'));
    expect(await records.addenda('mt1')).toEqual([addendum('c', '2026-12-01T11:00:00.000Z'), addendum('a', '2026-12-01T12:00:00.000Z'), addendum('b', '2026-12-01T12:00:00.000Z')]);
    expect(await records.closedAt('n1')).toBeUndefined();
    await records.closeNetwork('n1', T0);
    await records.closeNetwork('n1', '2026-12-09T00:00:00.000Z');
    expect(await records.closedAt('n1')).toBe(T0);
    expect(await records.closedBefore('2026-11-30T00:00:00.000Z')).toEqual([]);
    expect(await records.closedBefore(T0)).toEqual(['n1']);
  });
});
