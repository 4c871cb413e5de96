import { describe, expect, it } from 'vitest';
import { ENGINES, type EngineDatabase } from './engines.ts';
import { useFreshDatabase } from './fresh.ts';

const T0 = '2026-12-01T10:00:00.000Z';

/** A network with one live meeting, written as SQL both engines take (the meeting store is not contracted yet). */
async function liveMeeting(database: EngineDatabase, meetingId: string): Promise<void> {
  await database.exec("INSERT INTO networks (id, person_name, referred_at, created_at) VALUES ('n1', 'Jo', $1, $1)", [T0]);
  await database.exec("INSERT INTO meetings (id, network_id, title, created_at, status) VALUES ($1, 'n1', 'Meeting', $2, 'live')", [meetingId, T0]);
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
    await database.exec("UPDATE meetings SET status = 'ended', ended_at = $1 WHERE id = 'mt1'", ['2026-12-01T11:00:00.500Z']);
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
    await database.exec("UPDATE meetings SET status = 'ended', ended_at = $1 WHERE id = 'mt1'", [T0]);
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
