import { describe, expect, it } from 'vitest';
import { ENGINES, POSTGRES } from './engines.ts';
import { expectToWait, useFreshDatabase } from './fresh.ts';

const T0 = '2026-12-01T10:00:00.000Z';
const T1 = '2026-12-01T10:05:00.000Z';
const T2 = '2026-12-01T10:10:00.000Z';

describe.each(ENGINES)('the access-event outbox on $name', (engine) => {
  const fresh = useFreshDatabase(engine);

  it('numbers events in order and gives those after a number, oldest first, at most a limit', async () => {
    const { stores } = await fresh();
    const { accessEvents } = stores;
    expect(await accessEvents.lastSeq()).toBe(0);
    expect(await accessEvents.after(0, 10)).toEqual([]);
    const seqs = [];
    for (const body of ['a', 'b', 'c']) seqs.push(await accessEvents.append({ origin: 'server-1', at: T0, body }, T0));
    expect(seqs).toEqual([1, 2, 3]);
    expect(await accessEvents.lastSeq()).toBe(3);
    expect(await accessEvents.after(0, 2)).toEqual([
      { seq: 1, origin: 'server-1', body: 'a' },
      { seq: 2, origin: 'server-1', body: 'b' },
    ]);
    expect(await accessEvents.after(2, 10)).toEqual([{ seq: 3, origin: 'server-1', body: 'c' }]);
    expect(await accessEvents.after(3, 10)).toEqual([]);
  });

  it('drops events older than the kept time on an append, and never gives a number twice', async () => {
    const { stores } = await fresh();
    const { accessEvents } = stores;
    await accessEvents.append({ origin: 'cli-1', at: T0, body: 'old' }, T0);
    await accessEvents.append({ origin: 'cli-1', at: T1, body: 'kept' }, T0);
    // Older than the kept time itself: it is written after the drop, so it stays until the next append.
    expect(await accessEvents.append({ origin: 'cli-1', at: T0, body: 'late' }, T1)).toBe(3);
    expect((await accessEvents.after(0, 10)).map((e) => e.body)).toEqual(['kept', 'late']);
    expect(await accessEvents.append({ origin: 'cli-1', at: T2, body: 'new' }, T2)).toBe(4);
    expect(await accessEvents.after(0, 10)).toEqual([{ seq: 4, origin: 'cli-1', body: 'new' }]);
    expect(await accessEvents.lastSeq()).toBe(4);
  });

  it('gives every event of two connections writing at once its own number, all of them readable in order', async () => {
    const database = await fresh();
    const other = await database.another();
    const writer = (i: number) => (i % 2 === 0 ? database.stores.accessEvents : other.accessEvents);
    const seqs = await Promise.all(Array.from({ length: 12 }, (_, i) => writer(i).append({ origin: `o${i % 2}`, at: T0, body: `e${i}` }, T0)));
    expect(new Set(seqs).size).toBe(12);
    const read = await database.stores.accessEvents.after(0, 100);
    expect(read.map((e) => e.seq)).toEqual([...seqs].sort((a, b) => a - b));
    expect(read.map((e) => e.body).sort()).toEqual(Array.from({ length: 12 }, (_, i) => `e${i}`).sort());
  });
});

describe('the access-event outbox on postgres, with another writer in flight', () => {
  const fresh = useFreshDatabase(POSTGRES);

  it('shows no event before an earlier-numbered one still being written, so a reader cannot skip it', async () => {
    const database = await fresh();
    const { accessEvents } = database.stores;
    const first = await database.begin();
    await first.sql.query("INSERT INTO access_events (origin, at, body) VALUES ('cli-1', $1, 'first')", [T0]);
    const second = accessEvents.append({ origin: 'server-1', at: T0, body: 'second' }, T0);
    await expectToWait(database, second);
    // What a reader polling now sees: nothing yet, so the next look after the commits still starts at 0.
    expect(await accessEvents.after(0, 10)).toEqual([]);
    await first.commit();
    const seq = await second;
    expect(await accessEvents.after(0, 10)).toEqual([
      { seq: seq - 1, origin: 'cli-1', body: 'first' },
      { seq, origin: 'server-1', body: 'second' },
    ]);
  });
});
